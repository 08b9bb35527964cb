-- Version 2: qualitative commitments (milestones) with a status history and deadlines, the
-- responsible units and their assignments, and the report's glossary.

CREATE TABLE milestones (
    key         TEXT PRIMARY KEY COLLATE NOCASE,
    ordinal     INTEGER NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    section     TEXT NOT NULL REFERENCES sections(code),
    locator     TEXT NOT NULL DEFAULT '',
    phrase      TEXT NOT NULL DEFAULT '',
    strength    TEXT,
    terms       TEXT,                      -- glossary numbers, comma-separated
    note        TEXT,
    origin      TEXT NOT NULL DEFAULT 'seed' CHECK (origin IN ('seed','user'))
);

-- Targets and milestones share one namespace of keys.
CREATE TRIGGER milestones_key_free BEFORE INSERT ON milestones
WHEN EXISTS (SELECT 1 FROM targets WHERE key = NEW.key COLLATE NOCASE)
BEGIN
    SELECT RAISE(ABORT, 'key already used by a target');
END;
CREATE TRIGGER targets_key_free BEFORE INSERT ON targets
WHEN EXISTS (SELECT 1 FROM milestones WHERE key = NEW.key COLLATE NOCASE)
BEGIN
    SELECT RAISE(ABORT, 'key already used by a milestone');
END;

-- Status changes are appended, never overwritten: the three parts a lead unit reports
-- (进展情况 / 存在问题 / 下一步措施) and the evidence.
CREATE TABLE milestone_status (
    id             INTEGER PRIMARY KEY,
    milestone_key  TEXT NOT NULL REFERENCES milestones(key) ON UPDATE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('not_started','in_progress','done','stalled','dropped','not_rated')),
    as_of          TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    recorded_at    TEXT NOT NULL,
    progress       TEXT,
    problems       TEXT,
    next_steps     TEXT,
    source         TEXT
);
CREATE INDEX milestone_status_latest ON milestone_status (milestone_key, as_of, id);

-- Deadlines (完成时限): the due date, intermediate time nodes and extensions, all kept.
CREATE TABLE deadlines (
    id             INTEGER PRIMARY KEY,
    milestone_key  TEXT NOT NULL REFERENCES milestones(key) ON UPDATE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('due','node','extension')),
    due_date       TEXT NOT NULL CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    text           TEXT,
    reason         TEXT,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX deadlines_by_milestone ON deadlines (milestone_key, id);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL
);
CREATE TABLE unit_aliases (
    alias    TEXT PRIMARY KEY COLLATE NOCASE,
    unit_id  INTEGER NOT NULL REFERENCES units(id)
);

-- Who answers for what: one lead unit per item, any number of supporting units.
CREATE TABLE assignments (
    id           INTEGER PRIMARY KEY,
    item_key     TEXT NOT NULL COLLATE NOCASE,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    role         TEXT NOT NULL CHECK (role IN ('lead','support')),
    recorded_at  TEXT NOT NULL,
    UNIQUE (item_key, unit_id)
);
CREATE UNIQUE INDEX one_lead_per_item ON assignments (item_key) WHERE role = 'lead';

CREATE TABLE glossary (
    number          INTEGER PRIMARY KEY,
    term            TEXT NOT NULL,
    page            TEXT,
    explanation_zh  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    body_locator    TEXT NOT NULL,
    note            TEXT
);

INSERT INTO settings (scope, key, value) VALUES ('', 'due.within', '7');

-- Each milestone with its latest status and the deadline now in force.
CREATE VIEW milestone_latest AS
SELECT m.key, m.name_zh, m.name_en, m.section, m.strength,
       COALESCE(s.status, 'not_rated') AS status, s.as_of AS status_as_of, s.source,
       (SELECT d.due_date FROM deadlines d WHERE d.milestone_key = m.key AND d.kind IN ('due','extension')
        ORDER BY d.id DESC LIMIT 1) AS due_date,
       (SELECT u.name FROM assignments a JOIN units u ON u.id = a.unit_id
        WHERE a.item_key = m.key AND a.role = 'lead') AS lead_unit
FROM milestones m
LEFT JOIN milestone_status s ON s.id = (
    SELECT s2.id FROM milestone_status s2 WHERE s2.milestone_key = m.key
    ORDER BY s2.as_of DESC, s2.id DESC LIMIT 1)
ORDER BY m.ordinal;
