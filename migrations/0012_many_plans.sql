-- Version 12: many plans in one database.
--
-- `plans` holds every work report hnreport tracks (hengnan-2022 is plan 1, the embedded one; more
-- come from `plan load FILE`). Everything the report states and everything recorded against it
-- belongs to a plan (plan_id): sections, results, targets, milestones, the glossary, names,
-- per-target settings, assignments, deadlines, node marks, figures, statuses, the units'
-- returns; keys are unique within a plan. Units belong to a county and are shared by its plans.
-- One journal for the database: each entry names the plan it changed.
--
-- plan_id defaults to 1, the embedded plan, and a unit's county to its county: what a row
-- written by another tool (sqlite3, Datasette) meant before there were several plans. hnreport
-- itself always says which plan a row is for.
--
-- A plan is removed by a journalled change (plan_removals): its rows stay, hidden with it, and
-- `undo` brings them back. A loaded plan's rows carry the load's change_id.

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL COLLATE NOCASE,   -- hengnan-2022; unique among plans not removed
    name_zh      TEXT NOT NULL,                  -- the report's title
    name_en      TEXT NOT NULL,
    county_zh    TEXT NOT NULL,
    county_en    TEXT NOT NULL,
    year         INTEGER NOT NULL,
    delivered    TEXT,
    seed_digest  TEXT NOT NULL,                  -- digest of the plan file(s) the seeded rows were last brought up to
    source       TEXT,                           -- the file it was loaded from (NULL: the embedded plan)
    change_id    INTEGER REFERENCES journal(id)  -- the load that made it (NULL: the embedded plan)
);
CREATE INDEX plans_key ON plans (key);
INSERT INTO plans (id, key, name_zh, name_en, county_zh, county_en, year, delivered, seed_digest)
    SELECT id, key, name_zh, name_en, county_zh, county_en, year, delivered, seed_digest FROM plan;

CREATE TABLE plan_removals (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    change_id  INTEGER NOT NULL REFERENCES journal(id)
);
CREATE INDEX plan_removals_plan ON plan_removals (plan_id, id);

ALTER TABLE journal ADD COLUMN plan_id INTEGER REFERENCES plans(id);
UPDATE journal SET plan_id = (SELECT min(id) FROM plans);
CREATE INDEX journal_plan ON journal (plan_id, id);

-- The views and key triggers are made again below, over the new tables.
DROP VIEW target_latest;
DROP VIEW milestone_latest;
DROP VIEW milestone_nodes;
DROP VIEW settings;
DROP VIEW search_source;
DROP TRIGGER milestones_key_free;
DROP TRIGGER targets_key_free;

CREATE TABLE sections_v12 (
    plan_id  INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    code     TEXT NOT NULL,
    part     TEXT NOT NULL,
    ordinal  INTEGER NOT NULL,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    locator  TEXT NOT NULL,
    note     TEXT,
    PRIMARY KEY (plan_id, code)
);
INSERT INTO sections_v12 SELECT 1, * FROM sections;

CREATE TABLE results_v12 (
    plan_id  INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    key      TEXT NOT NULL COLLATE NOCASE,
    ordinal  INTEGER NOT NULL,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    section  TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('growth_rate','level','share','cumulative','reduction','count','rank')),
    value    REAL NOT NULL,
    unit     TEXT,
    scope    TEXT,
    locator  TEXT NOT NULL,
    phrase   TEXT NOT NULL,
    note     TEXT,
    PRIMARY KEY (plan_id, key),
    FOREIGN KEY (plan_id, section) REFERENCES sections(plan_id, code)
);
INSERT INTO results_v12 SELECT 1, * FROM results;

CREATE TABLE targets_v12 (
    plan_id       INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    key           TEXT NOT NULL COLLATE NOCASE,
    ordinal       INTEGER NOT NULL,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    section       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('growth_rate','level','share','cumulative','reduction')),
    comparator    TEXT NOT NULL CHECK (comparator IN ('>=','>','<=','~')),
    value         REAL NOT NULL,
    unit          TEXT,
    unit_missing  INTEGER NOT NULL DEFAULT 0 CHECK (unit_missing IN (0, 1)),
    frequency     TEXT NOT NULL CHECK (frequency IN ('monthly','quarterly','annual')),
    baseline      TEXT,
    locator       TEXT NOT NULL,
    phrase        TEXT NOT NULL,
    strength      TEXT,
    note          TEXT,
    origin        TEXT NOT NULL DEFAULT 'seed' CHECK (origin IN ('seed','user')),
    change_id     INTEGER REFERENCES journal(id),
    PRIMARY KEY (plan_id, key),
    UNIQUE (plan_id, name_zh),
    FOREIGN KEY (plan_id, section) REFERENCES sections(plan_id, code),
    FOREIGN KEY (plan_id, baseline) REFERENCES results(plan_id, key)
);
INSERT INTO targets_v12 SELECT 1, * FROM targets;

CREATE TABLE milestones_v12 (
    plan_id     INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    key         TEXT NOT NULL COLLATE NOCASE,
    ordinal     INTEGER NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    section     TEXT NOT NULL,
    locator     TEXT NOT NULL DEFAULT '',
    phrase      TEXT NOT NULL DEFAULT '',
    strength    TEXT,
    terms       TEXT,                      -- glossary numbers, comma-separated
    note        TEXT,
    origin      TEXT NOT NULL DEFAULT 'seed' CHECK (origin IN ('seed','user')),
    change_id   INTEGER REFERENCES journal(id),
    PRIMARY KEY (plan_id, key),
    FOREIGN KEY (plan_id, section) REFERENCES sections(plan_id, code)
);
INSERT INTO milestones_v12 SELECT 1, * FROM milestones;

CREATE TABLE glossary_v12 (
    plan_id         INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    number          INTEGER NOT NULL,
    term            TEXT NOT NULL,
    page            TEXT,
    explanation_zh  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    body_locator    TEXT NOT NULL,
    note            TEXT,
    PRIMARY KEY (plan_id, number)
);
INSERT INTO glossary_v12 SELECT 1, * FROM glossary;

CREATE TABLE observations_v12 (
    plan_id     INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id          INTEGER PRIMARY KEY,
    target_key  TEXT NOT NULL,
    value       REAL NOT NULL,
    as_of       TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    recorded_at TEXT NOT NULL,
    note        TEXT,
    source      TEXT,
    change_id   INTEGER REFERENCES journal(id),
    vintage     TEXT NOT NULL DEFAULT 'preliminary' CHECK (vintage IN ('preliminary', 'final')),
    supersedes  INTEGER REFERENCES observations(id),
    decimals    INTEGER CHECK (decimals IS NULL OR decimals BETWEEN 0 AND 15),
    flag        TEXT,
    FOREIGN KEY (plan_id, target_key) REFERENCES targets(plan_id, key) ON UPDATE CASCADE
);
INSERT INTO observations_v12 SELECT 1, * FROM observations;

CREATE TABLE milestone_status_v12 (
    plan_id        INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id             INTEGER PRIMARY KEY,
    milestone_key  TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('not_started','in_progress','done','stalled','dropped','not_rated')),
    as_of          TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    recorded_at    TEXT NOT NULL,
    progress       TEXT,
    problems       TEXT,
    next_steps     TEXT,
    source         TEXT,
    change_id      INTEGER REFERENCES journal(id),
    FOREIGN KEY (plan_id, milestone_key) REFERENCES milestones(plan_id, key) ON UPDATE CASCADE
);
INSERT INTO milestone_status_v12 SELECT 1, * FROM milestone_status;

CREATE TABLE deadlines_v12 (
    plan_id        INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id             INTEGER PRIMARY KEY,
    milestone_key  TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('due','node','extension')),
    due_date       TEXT NOT NULL CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    text           TEXT,
    reason         TEXT,
    recorded_at    TEXT NOT NULL,
    change_id      INTEGER REFERENCES journal(id),
    FOREIGN KEY (plan_id, milestone_key) REFERENCES milestones(plan_id, key) ON UPDATE CASCADE
);
INSERT INTO deadlines_v12 SELECT 1, * FROM deadlines;

CREATE TABLE target_revisions_v12 (
    plan_id     INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id          INTEGER PRIMARY KEY,
    target_key  TEXT NOT NULL,
    value       REAL NOT NULL,
    effective   TEXT NOT NULL CHECK (effective GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    reason      TEXT NOT NULL,
    change_id   INTEGER NOT NULL REFERENCES journal(id),
    FOREIGN KEY (plan_id, target_key) REFERENCES targets(plan_id, key) ON UPDATE CASCADE
);
INSERT INTO target_revisions_v12 SELECT 1, * FROM target_revisions;

CREATE TABLE node_marks_v12 (
    plan_id        INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id             INTEGER PRIMARY KEY,
    milestone_key  TEXT NOT NULL,
    node_date      TEXT NOT NULL CHECK (node_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    mark           TEXT NOT NULL CHECK (mark IN ('met', 'missed')),
    note           TEXT,
    recorded_at    TEXT NOT NULL,
    change_id      INTEGER REFERENCES journal(id),
    FOREIGN KEY (plan_id, milestone_key) REFERENCES milestones(plan_id, key) ON UPDATE CASCADE
);
INSERT INTO node_marks_v12 SELECT 1, * FROM node_marks;

CREATE TABLE target_aliases_v12 (
    plan_id     INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id          INTEGER PRIMARY KEY,
    target_key  TEXT NOT NULL,
    alias       TEXT NOT NULL,      -- as printed
    norm        TEXT NOT NULL,      -- as matched
    source      TEXT,               -- where the name is printed (seeded names)
    change_id   INTEGER REFERENCES journal(id),
    FOREIGN KEY (plan_id, target_key) REFERENCES targets(plan_id, key) ON UPDATE CASCADE
);
INSERT INTO target_aliases_v12 SELECT 1, * FROM target_aliases;

-- Units: a county's, shared by its plans.
CREATE TABLE units_v12 (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE,
    created_at  TEXT NOT NULL,
    change_id   INTEGER REFERENCES journal(id),
    county      TEXT NOT NULL DEFAULT '衡南县'
);
INSERT INTO units_v12 SELECT *, (SELECT county_zh FROM plans ORDER BY id LIMIT 1) FROM units;

CREATE TABLE assignment_log_v12 (
    plan_id      INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id           INTEGER PRIMARY KEY,
    item_key     TEXT NOT NULL COLLATE NOCASE,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    role         TEXT NOT NULL CHECK (role IN ('lead', 'support')),
    recorded_at  TEXT NOT NULL,
    change_id    INTEGER REFERENCES journal(id)
);
INSERT INTO assignment_log_v12 SELECT 1, * FROM assignment_log;

-- A setting of scope '' is the database's (plan_id NULL); one of a target belongs to its plan.
CREATE TABLE setting_log_v12 (
    plan_id    INTEGER REFERENCES plans(id),
    id         INTEGER PRIMARY KEY,
    scope      TEXT NOT NULL DEFAULT '',
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    change_id  INTEGER REFERENCES journal(id)
);
INSERT INTO setting_log_v12 SELECT CASE WHEN scope = '' THEN NULL ELSE 1 END, * FROM setting_log;

CREATE TABLE unit_reports_v12 (
    plan_id       INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    period        TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),  -- the month, 2022-07
    sheet_id      TEXT NOT NULL,      -- the id `units sheet` wrote into the workbook
    file          TEXT NOT NULL,      -- the file it was read from, as given
    collected_at  TEXT NOT NULL,      -- UTC, ISO 8601
    change_id     INTEGER REFERENCES journal(id)
);
INSERT INTO unit_reports_v12 SELECT 1, * FROM unit_reports;

CREATE TABLE unit_report_items_v12 (
    plan_id       INTEGER NOT NULL DEFAULT 1 REFERENCES plans(id),
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES unit_reports(id),
    item_key      TEXT NOT NULL COLLATE NOCASE,
    answer        TEXT NOT NULL CHECK (answer IN ('reported', 'unchanged', 'blank')),
    status        TEXT CHECK (status IS NULL OR status IN ('not_started','in_progress','done','stalled','dropped','not_rated')),
    value         REAL,               -- a target's figure as reported
    value_as_of   TEXT CHECK (value_as_of IS NULL OR value_as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    progress      TEXT,               -- 本月进展情况
    problems      TEXT,               -- 存在问题
    next_steps    TEXT,               -- 下一步措施
    source        TEXT,               -- 佐证材料/文号
    change_id     INTEGER REFERENCES journal(id)
);
INSERT INTO unit_report_items_v12 SELECT 1, * FROM unit_report_items;

-- Children first, then their parents; the new tables take the old names.
DROP TABLE unit_report_items;
DROP TABLE unit_reports;
DROP TABLE setting_log;
DROP TABLE assignment_log;
DROP TABLE target_aliases;
DROP TABLE node_marks;
DROP TABLE target_revisions;
DROP TABLE deadlines;
DROP TABLE milestone_status;
DROP TABLE observations;
DROP TABLE glossary;
DROP TABLE milestones;
DROP TABLE targets;
DROP TABLE results;
DROP TABLE sections;
DROP TABLE units;
DROP TABLE plan;
ALTER TABLE sections_v12 RENAME TO sections;
ALTER TABLE results_v12 RENAME TO results;
ALTER TABLE targets_v12 RENAME TO targets;
ALTER TABLE milestones_v12 RENAME TO milestones;
ALTER TABLE glossary_v12 RENAME TO glossary;
ALTER TABLE observations_v12 RENAME TO observations;
ALTER TABLE milestone_status_v12 RENAME TO milestone_status;
ALTER TABLE deadlines_v12 RENAME TO deadlines;
ALTER TABLE target_revisions_v12 RENAME TO target_revisions;
ALTER TABLE node_marks_v12 RENAME TO node_marks;
ALTER TABLE target_aliases_v12 RENAME TO target_aliases;
ALTER TABLE units_v12 RENAME TO units;
ALTER TABLE assignment_log_v12 RENAME TO assignment_log;
ALTER TABLE setting_log_v12 RENAME TO setting_log;
ALTER TABLE unit_reports_v12 RENAME TO unit_reports;
ALTER TABLE unit_report_items_v12 RENAME TO unit_report_items;

-- Every index leads with the plan: each plan's rows are one range.
CREATE INDEX observations_latest ON observations (plan_id, target_key, as_of, id);
CREATE INDEX observations_change ON observations (change_id);
CREATE INDEX observations_final ON observations (plan_id, target_key, as_of, id) WHERE vintage = 'final';
CREATE INDEX milestone_status_latest ON milestone_status (plan_id, milestone_key, as_of, id);
CREATE INDEX deadlines_by_milestone ON deadlines (plan_id, milestone_key, id);
CREATE INDEX target_revisions_key ON target_revisions (plan_id, target_key, effective, id);
CREATE INDEX node_marks_by_node ON node_marks (plan_id, milestone_key, node_date, id);
CREATE INDEX target_aliases_norm ON target_aliases (plan_id, norm, id);
CREATE INDEX target_aliases_target ON target_aliases (plan_id, target_key, id);
CREATE INDEX units_name ON units (county, name);
CREATE INDEX assignment_log_item ON assignment_log (plan_id, item_key, id);
CREATE INDEX setting_log_key ON setting_log (scope, key, id);
CREATE INDEX unit_reports_period ON unit_reports (plan_id, period, unit_id, id);
CREATE INDEX unit_report_items_report ON unit_report_items (report_id, id);
CREATE INDEX unit_report_items_item ON unit_report_items (plan_id, item_key, id);

-- Targets and milestones share one namespace of keys within a plan.
CREATE TRIGGER milestones_key_free BEFORE INSERT ON milestones
WHEN EXISTS (SELECT 1 FROM targets WHERE plan_id = NEW.plan_id AND key = NEW.key COLLATE NOCASE)
BEGIN
    SELECT RAISE(ABORT, 'key already used by a target');
END;
CREATE TRIGGER targets_key_free BEFORE INSERT ON targets
WHEN EXISTS (SELECT 1 FROM milestones WHERE plan_id = NEW.plan_id AND key = NEW.key COLLATE NOCASE)
BEGIN
    SELECT RAISE(ABORT, 'key already used by a milestone');
END;

-- The views for sqlite3 / Datasette users gain the plan's key as their first column.
CREATE VIEW settings AS
SELECT p.key AS plan, s.scope, s.key, s.value FROM setting_log s LEFT JOIN plans p ON p.id = s.plan_id
WHERE s.id = (
    SELECT s2.id FROM setting_log s2
    WHERE s2.scope = s.scope AND s2.key = s.key AND s2.plan_id IS s.plan_id
      AND (s2.change_id IS NULL OR s2.change_id IN active_changes)
    ORDER BY s2.id DESC LIMIT 1);

CREATE VIEW target_latest AS
SELECT p.key AS plan, t.key, t.name_zh, t.name_en, t.section, t.kind, t.comparator, t.value AS target,
       t.unit, t.frequency, r.value AS baseline, r.unit AS baseline_unit,
       o.value AS latest, o.as_of AS latest_as_of, o.vintage, o.recorded_at, o.note, o.source
FROM targets t
JOIN plans p ON p.id = t.plan_id
LEFT JOIN results r ON r.plan_id = t.plan_id AND r.key = t.baseline
LEFT JOIN observations o ON o.id = (
    SELECT o2.id FROM observations o2
    WHERE o2.plan_id = t.plan_id AND o2.target_key = t.key
      AND (o2.change_id IS NULL OR o2.change_id IN active_changes)
      AND NOT EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o2.id AND x.change_id IN active_changes)
    ORDER BY o2.as_of DESC, o2.id DESC LIMIT 1)
WHERE t.change_id IS NULL OR t.change_id IN active_changes
ORDER BY t.plan_id, t.ordinal;

CREATE VIEW milestone_nodes AS
SELECT p.key AS plan, d.milestone_key AS key, d.due_date AS node_date, d.text,
       (SELECT n.mark FROM node_marks n
        WHERE n.plan_id = d.plan_id AND n.milestone_key = d.milestone_key AND n.node_date = d.due_date
          AND (n.change_id IS NULL OR n.change_id IN active_changes)
        ORDER BY n.id DESC LIMIT 1) AS mark
FROM deadlines d JOIN plans p ON p.id = d.plan_id
WHERE d.kind = 'node' AND (d.change_id IS NULL OR d.change_id IN active_changes)
ORDER BY d.plan_id, d.milestone_key, d.due_date, d.id;

CREATE VIEW milestone_latest AS
SELECT p.key AS plan, m.key, m.name_zh, m.name_en, m.section, m.strength,
       COALESCE(s.status, 'not_rated') AS status, s.as_of AS status_as_of, s.source,
       COALESCE(
           (SELECT d.due_date FROM deadlines d
            WHERE d.plan_id = m.plan_id AND d.milestone_key = m.key AND d.kind IN ('due', 'extension')
              AND (d.change_id IS NULL OR d.change_id IN active_changes)
            ORDER BY d.id DESC LIMIT 1),
           p.year || '-12-31') AS due_date,
       NOT EXISTS (SELECT 1 FROM deadlines d
                   WHERE d.plan_id = m.plan_id AND d.milestone_key = m.key AND d.kind IN ('due', 'extension')
                     AND (d.change_id IS NULL OR d.change_id IN active_changes)) AS due_implied,
       (SELECT u.name FROM assignment_log a JOIN units u ON u.id = a.unit_id
        WHERE a.plan_id = m.plan_id AND a.item_key = m.key AND a.role = 'lead'
          AND (a.change_id IS NULL OR a.change_id IN active_changes)
        ORDER BY a.id DESC LIMIT 1) AS lead_unit
FROM milestones m
JOIN plans p ON p.id = m.plan_id
LEFT JOIN milestone_status s ON s.id = (
    SELECT s2.id FROM milestone_status s2
    WHERE s2.plan_id = m.plan_id AND s2.milestone_key = m.key AND (s2.change_id IS NULL OR s2.change_id IN active_changes)
    ORDER BY s2.as_of DESC, s2.id DESC LIMIT 1)
WHERE m.change_id IS NULL OR m.change_id IN active_changes
ORDER BY m.plan_id, m.ordinal;

-- The search index (0011) follows the plans: each index row carries its row's plan, the view
-- search_source gains plan_id, and the triggers (dropped with the tables above) are made again
-- over the new tables. Glossary rows are numbered by rowid now: a number repeats across plans.
DELETE FROM search_index;
CREATE VIEW search_source AS
SELECT 1099511627776 + t.rowid * 8 + 1 AS id, 'target' AS kind, t.key, 'name' AS field, t.name_zh AS text, t.change_id, t.plan_id FROM targets t
UNION ALL SELECT 1099511627776 + t.rowid * 8 + 2, 'target', t.key, 'phrase', t.phrase, t.change_id, t.plan_id FROM targets t
UNION ALL SELECT 2199023255552 + r.rowid * 8 + 1, 'result', r.key, 'name', r.name_zh, NULL, r.plan_id FROM results r
UNION ALL SELECT 2199023255552 + r.rowid * 8 + 2, 'result', r.key, 'phrase', r.phrase, NULL, r.plan_id FROM results r
UNION ALL SELECT 3298534883328 + m.rowid * 8 + 1, 'milestone', m.key, 'name', m.name_zh, m.change_id, m.plan_id FROM milestones m
UNION ALL SELECT 3298534883328 + m.rowid * 8 + 2, 'milestone', m.key, 'phrase', m.phrase, m.change_id, m.plan_id FROM milestones m
UNION ALL SELECT 4398046511104 + s.id * 8 + 1, 'note', s.milestone_key, 'progress', s.progress, s.change_id, s.plan_id FROM milestone_status s
UNION ALL SELECT 4398046511104 + s.id * 8 + 2, 'note', s.milestone_key, 'problems', s.problems, s.change_id, s.plan_id FROM milestone_status s
UNION ALL SELECT 4398046511104 + s.id * 8 + 3, 'note', s.milestone_key, 'next_steps', s.next_steps, s.change_id, s.plan_id FROM milestone_status s
UNION ALL SELECT 4398046511104 + s.id * 8 + 4, 'note', s.milestone_key, 'source', s.source, s.change_id, s.plan_id FROM milestone_status s
UNION ALL SELECT 5497558138880 + o.id * 8 + 1, 'figure', o.target_key, 'note', o.note, o.change_id, o.plan_id FROM observations o
UNION ALL SELECT 5497558138880 + o.id * 8 + 2, 'figure', o.target_key, 'source', o.source, o.change_id, o.plan_id FROM observations o
UNION ALL SELECT 6597069766656 + g.rowid * 8 + 1, 'term', CAST(g.number AS TEXT), 'term', g.term, NULL, g.plan_id FROM glossary g
UNION ALL SELECT 6597069766656 + g.rowid * 8 + 2, 'term', CAST(g.number AS TEXT), 'explanation', g.explanation_zh, NULL, g.plan_id FROM glossary g;

INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
SELECT s.id, s.text, s.kind, s.key, s.field, s.change_id, p.key
FROM search_source s JOIN plans p ON p.id = s.plan_id WHERE s.text IS NOT NULL AND s.text <> '';

CREATE TRIGGER search_targets_insert AFTER INSERT ON targets BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 1099511627776 + NEW.rowid * 8 + f.n, f.text, 'target', NEW.key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_targets_update AFTER UPDATE OF key, name_zh, phrase, change_id ON targets BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 1099511627776 + OLD.rowid * 8 AND 1099511627776 + OLD.rowid * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 1099511627776 + NEW.rowid * 8 + f.n, f.text, 'target', NEW.key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_targets_delete AFTER DELETE ON targets BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 1099511627776 + OLD.rowid * 8 AND 1099511627776 + OLD.rowid * 8 + 7;
END;

CREATE TRIGGER search_results_insert AFTER INSERT ON results BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 2199023255552 + NEW.rowid * 8 + f.n, f.text, 'result', NEW.key, f.field, NULL, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_results_update AFTER UPDATE OF key, name_zh, phrase ON results BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 2199023255552 + OLD.rowid * 8 AND 2199023255552 + OLD.rowid * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 2199023255552 + NEW.rowid * 8 + f.n, f.text, 'result', NEW.key, f.field, NULL, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_results_delete AFTER DELETE ON results BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 2199023255552 + OLD.rowid * 8 AND 2199023255552 + OLD.rowid * 8 + 7;
END;

CREATE TRIGGER search_milestones_insert AFTER INSERT ON milestones BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 3298534883328 + NEW.rowid * 8 + f.n, f.text, 'milestone', NEW.key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_milestones_update AFTER UPDATE OF key, name_zh, phrase, change_id ON milestones BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 3298534883328 + OLD.rowid * 8 AND 3298534883328 + OLD.rowid * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 3298534883328 + NEW.rowid * 8 + f.n, f.text, 'milestone', NEW.key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_milestones_delete AFTER DELETE ON milestones BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 3298534883328 + OLD.rowid * 8 AND 3298534883328 + OLD.rowid * 8 + 7;
END;

CREATE TRIGGER search_status_insert AFTER INSERT ON milestone_status BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 4398046511104 + NEW.id * 8 + f.n, f.text, 'note', NEW.milestone_key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'progress' AS field, NEW.progress AS text UNION ALL SELECT 2, 'problems', NEW.problems
          UNION ALL SELECT 3, 'next_steps', NEW.next_steps UNION ALL SELECT 4, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_status_update AFTER UPDATE OF milestone_key, progress, problems, next_steps, source, change_id ON milestone_status BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 4398046511104 + OLD.id * 8 AND 4398046511104 + OLD.id * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 4398046511104 + NEW.id * 8 + f.n, f.text, 'note', NEW.milestone_key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'progress' AS field, NEW.progress AS text UNION ALL SELECT 2, 'problems', NEW.problems
          UNION ALL SELECT 3, 'next_steps', NEW.next_steps UNION ALL SELECT 4, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_status_delete AFTER DELETE ON milestone_status BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 4398046511104 + OLD.id * 8 AND 4398046511104 + OLD.id * 8 + 7;
END;

CREATE TRIGGER search_figures_insert AFTER INSERT ON observations BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 5497558138880 + NEW.id * 8 + f.n, f.text, 'figure', NEW.target_key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'note' AS field, NEW.note AS text UNION ALL SELECT 2, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_figures_update AFTER UPDATE OF target_key, note, source, change_id ON observations BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 5497558138880 + OLD.id * 8 AND 5497558138880 + OLD.id * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 5497558138880 + NEW.id * 8 + f.n, f.text, 'figure', NEW.target_key, f.field, NEW.change_id, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'note' AS field, NEW.note AS text UNION ALL SELECT 2, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_figures_delete AFTER DELETE ON observations BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 5497558138880 + OLD.id * 8 AND 5497558138880 + OLD.id * 8 + 7;
END;

CREATE TRIGGER search_glossary_insert AFTER INSERT ON glossary BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 6597069766656 + NEW.rowid * 8 + f.n, f.text, 'term', CAST(NEW.number AS TEXT), f.field, NULL, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'term' AS field, NEW.term AS text UNION ALL SELECT 2, 'explanation', NEW.explanation_zh) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_glossary_update AFTER UPDATE OF number, term, explanation_zh, plan_id ON glossary BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 6597069766656 + OLD.rowid * 8 AND 6597069766656 + OLD.rowid * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 6597069766656 + NEW.rowid * 8 + f.n, f.text, 'term', CAST(NEW.number AS TEXT), f.field, NULL, (SELECT key FROM plans WHERE id = NEW.plan_id)
    FROM (SELECT 1 AS n, 'term' AS field, NEW.term AS text UNION ALL SELECT 2, 'explanation', NEW.explanation_zh) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_glossary_delete AFTER DELETE ON glossary BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 6597069766656 + OLD.rowid * 8 AND 6597069766656 + OLD.rowid * 8 + 7;
END;
