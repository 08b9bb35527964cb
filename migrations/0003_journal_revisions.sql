-- Version 3: an audit journal of every change (who, when, what, why) with undo and redo, figure
-- vintages and revisions, retractions, target revisions. Nothing a user recorded is deleted:
-- rows carry the journal entry (change_id) that made them, and an undone change only hides them.

CREATE TABLE journal (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,                 -- UTC, ISO 8601
    user           TEXT NOT NULL,
    action         TEXT NOT NULL,
    key            TEXT,                          -- the target or milestone concerned, if one
    summary        TEXT NOT NULL,                 -- what
    reason         TEXT,                          -- why
    target_change  INTEGER REFERENCES journal(id), -- for undo / redo: the change reverted or re-applied
    undone         INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
);
CREATE INDEX journal_undone ON journal (undone, id);
CREATE INDEX journal_key ON journal (key, id);

-- Observations: the change that made them, their vintage, and what they correct.
ALTER TABLE observations ADD COLUMN change_id INTEGER REFERENCES journal(id);
ALTER TABLE observations ADD COLUMN vintage TEXT NOT NULL DEFAULT 'preliminary'
    CHECK (vintage IN ('preliminary', 'final'));
ALTER TABLE observations ADD COLUMN supersedes INTEGER REFERENCES observations(id);
CREATE INDEX observations_change ON observations (change_id);
-- Figures recorded before the journal existed get a journal entry each, so `--known-at` and
-- undo treat them like any other (the journal is empty here, so ids can match).
INSERT INTO journal (id, at, user, action, key, summary)
    SELECT id, recorded_at, 'unknown', 'record', target_key, 'recorded before the journal existed'
    FROM observations ORDER BY id;
UPDATE observations SET change_id = id;

CREATE TABLE retractions (
    id              INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL REFERENCES observations(id),
    change_id       INTEGER NOT NULL REFERENCES journal(id),
    reason          TEXT NOT NULL
);
CREATE INDEX retractions_observation ON retractions (observation_id);

-- A mid-year adjustment of a target: statuses before `effective` keep the old value.
CREATE TABLE target_revisions (
    id          INTEGER PRIMARY KEY,
    target_key  TEXT NOT NULL REFERENCES targets(key) ON UPDATE CASCADE,
    value       REAL NOT NULL,
    effective   TEXT NOT NULL CHECK (effective GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    reason      TEXT NOT NULL,
    change_id   INTEGER NOT NULL REFERENCES journal(id)
);
CREATE INDEX target_revisions_key ON target_revisions (target_key, effective, id);

ALTER TABLE milestone_status ADD COLUMN change_id INTEGER REFERENCES journal(id);
ALTER TABLE deadlines ADD COLUMN change_id INTEGER REFERENCES journal(id);
ALTER TABLE targets ADD COLUMN change_id INTEGER REFERENCES journal(id);
ALTER TABLE milestones ADD COLUMN change_id INTEGER REFERENCES journal(id);

-- Units and aliases lose their UNIQUE constraints (an undone unit may be added again; the store
-- checks uniqueness among visible rows) and gain change_id.
CREATE TABLE units_v3 (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE,
    created_at  TEXT NOT NULL,
    change_id   INTEGER REFERENCES journal(id)
);
INSERT INTO units_v3 (id, name, created_at) SELECT id, name, created_at FROM units;
CREATE TABLE unit_aliases_v3 (
    id         INTEGER PRIMARY KEY,
    alias      TEXT NOT NULL COLLATE NOCASE,
    unit_id    INTEGER NOT NULL REFERENCES units_v3(id),
    change_id  INTEGER REFERENCES journal(id)
);
INSERT INTO unit_aliases_v3 (alias, unit_id) SELECT alias, unit_id FROM unit_aliases;

-- Assignments become an append-only log; the current assignment is folded from it.
CREATE TABLE assignment_log (
    id           INTEGER PRIMARY KEY,
    item_key     TEXT NOT NULL COLLATE NOCASE,
    unit_id      INTEGER NOT NULL REFERENCES units_v3(id),
    role         TEXT NOT NULL CHECK (role IN ('lead', 'support')),
    recorded_at  TEXT NOT NULL,
    change_id    INTEGER REFERENCES journal(id)
);
INSERT INTO assignment_log (item_key, unit_id, role, recorded_at)
    SELECT item_key, unit_id, role, recorded_at FROM assignments ORDER BY id;

DROP VIEW milestone_latest;
DROP TABLE assignments;
DROP TABLE unit_aliases;
DROP TABLE units;
ALTER TABLE units_v3 RENAME TO units;
ALTER TABLE unit_aliases_v3 RENAME TO unit_aliases;
CREATE INDEX units_name ON units (name);
CREATE INDEX unit_aliases_alias ON unit_aliases (alias);
CREATE INDEX assignment_log_item ON assignment_log (item_key, id);

-- Settings become an append-only log too; the view `settings` shows the values in force.
CREATE TABLE setting_log (
    id         INTEGER PRIMARY KEY,
    scope      TEXT NOT NULL DEFAULT '',
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    change_id  INTEGER REFERENCES journal(id)
);
INSERT INTO setting_log (scope, key, value) SELECT scope, key, value FROM settings ORDER BY rowid;
DROP TABLE settings;
CREATE INDEX setting_log_key ON setting_log (scope, key, id);

-- Rows made by a change that is currently undone are hidden from every view below.
CREATE VIEW active_changes AS SELECT id FROM journal WHERE undone = 0;

CREATE VIEW settings AS
SELECT s.scope, s.key, s.value FROM setting_log s
WHERE s.id = (
    SELECT s2.id FROM setting_log s2
    WHERE s2.scope = s.scope AND s2.key = s.key
      AND (s2.change_id IS NULL OR s2.change_id IN active_changes)
    ORDER BY s2.id DESC LIMIT 1);

DROP VIEW target_latest;
CREATE VIEW target_latest AS
SELECT t.key, t.name_zh, t.name_en, t.section, t.kind, t.comparator, t.value AS target,
       t.unit, t.frequency, r.value AS baseline, r.unit AS baseline_unit,
       o.value AS latest, o.as_of AS latest_as_of, o.vintage, o.recorded_at, o.note, o.source
FROM targets t
LEFT JOIN results r ON r.key = t.baseline
LEFT JOIN observations o ON o.id = (
    SELECT o2.id FROM observations o2
    WHERE o2.target_key = t.key
      AND (o2.change_id IS NULL OR o2.change_id IN active_changes)
      AND NOT EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o2.id AND x.change_id IN active_changes)
    ORDER BY o2.as_of DESC, o2.id DESC LIMIT 1)
WHERE t.change_id IS NULL OR t.change_id IN active_changes
ORDER BY t.ordinal;

CREATE VIEW milestone_latest AS
SELECT m.key, m.name_zh, m.name_en, m.section, m.strength,
       COALESCE(s.status, 'not_rated') AS status, s.as_of AS status_as_of, s.source,
       (SELECT d.due_date FROM deadlines d
        WHERE d.milestone_key = m.key AND d.kind IN ('due', 'extension')
          AND (d.change_id IS NULL OR d.change_id IN active_changes)
        ORDER BY d.id DESC LIMIT 1) AS due_date,
       (SELECT u.name FROM assignment_log a JOIN units u ON u.id = a.unit_id
        WHERE a.item_key = m.key AND a.role = 'lead'
          AND (a.change_id IS NULL OR a.change_id IN active_changes)
        ORDER BY a.id DESC LIMIT 1) AS lead_unit
FROM milestones m
LEFT JOIN milestone_status s ON s.id = (
    SELECT s2.id FROM milestone_status s2
    WHERE s2.milestone_key = m.key AND (s2.change_id IS NULL OR s2.change_id IN active_changes)
    ORDER BY s2.as_of DESC, s2.id DESC LIMIT 1)
WHERE m.change_id IS NULL OR m.change_id IN active_changes
ORDER BY m.ordinal;
