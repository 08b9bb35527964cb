-- hnreport schema, version 1: the plan, its sections, 2021 results, 2022 targets, the
-- observations users record, and the light rules (configuration kept in the database).

CREATE TABLE plan (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    key         TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    county_zh   TEXT NOT NULL,
    county_en   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    delivered   TEXT,
    seed_digest TEXT NOT NULL          -- digest of data/ the seeded rows were last brought up to
);

CREATE TABLE sections (
    code     TEXT PRIMARY KEY,
    part     TEXT NOT NULL,
    ordinal  INTEGER NOT NULL,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    locator  TEXT NOT NULL,
    note     TEXT
);

CREATE TABLE results (
    key      TEXT PRIMARY KEY COLLATE NOCASE,
    ordinal  INTEGER NOT NULL,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    section  TEXT NOT NULL REFERENCES sections(code),
    kind     TEXT NOT NULL CHECK (kind IN ('growth_rate','level','share','cumulative','reduction','count','rank')),
    value    REAL NOT NULL,
    unit     TEXT,
    scope    TEXT,
    locator  TEXT NOT NULL,
    phrase   TEXT NOT NULL,
    note     TEXT
);

CREATE TABLE targets (
    key           TEXT PRIMARY KEY COLLATE NOCASE,
    ordinal       INTEGER NOT NULL,
    name_zh       TEXT NOT NULL UNIQUE,
    name_en       TEXT NOT NULL,
    section       TEXT NOT NULL REFERENCES sections(code),
    kind          TEXT NOT NULL CHECK (kind IN ('growth_rate','level','share','cumulative','reduction')),
    comparator    TEXT NOT NULL CHECK (comparator IN ('>=','>','<=','~')),
    value         REAL NOT NULL,
    unit          TEXT,
    unit_missing  INTEGER NOT NULL DEFAULT 0 CHECK (unit_missing IN (0, 1)),
    frequency     TEXT NOT NULL CHECK (frequency IN ('monthly','quarterly','annual')),
    baseline      TEXT REFERENCES results(key),
    locator       TEXT NOT NULL,
    phrase        TEXT NOT NULL,
    strength      TEXT,
    note          TEXT,
    origin        TEXT NOT NULL DEFAULT 'seed' CHECK (origin IN ('seed','user'))
);

CREATE TABLE observations (
    id          INTEGER PRIMARY KEY,
    target_key  TEXT NOT NULL REFERENCES targets(key) ON UPDATE CASCADE,
    value       REAL NOT NULL,
    as_of       TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    recorded_at TEXT NOT NULL,
    note        TEXT,
    source      TEXT
);
-- The latest observation of a target at or before a date is one index seek.
CREATE INDEX observations_latest ON observations (target_key, as_of, id);

-- Light rules: each preset has one rule per class of target (amounts, rates).
CREATE TABLE light_presets (
    preset     TEXT NOT NULL,
    class      TEXT NOT NULL CHECK (class IN ('amount','rate')),
    measure    TEXT NOT NULL CHECK (measure IN ('relative','points')),
    tolerance  REAL NOT NULL CHECK (tolerance >= 0),
    PRIMARY KEY (preset, class)
);
INSERT INTO light_presets VALUES
    ('default',  'amount', 'relative', 0.10),
    ('default',  'rate',   'points',   1.0),
    ('points',   'amount', 'points',   10.0),
    ('points',   'rate',   'points',   1.0),
    ('relative', 'amount', 'relative', 0.50),
    ('relative', 'rate',   'relative', 0.50);

-- Settings: scope '' is global; otherwise a target key for a per-target override.
CREATE TABLE settings (
    scope  TEXT NOT NULL DEFAULT '',
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
INSERT INTO settings (scope, key, value) VALUES ('', 'light.preset', 'default'), ('', 'pace.basis', 'months');

-- Each target with its latest observation (by period, then by order of recording), for
-- sqlite3 / Datasette users: SELECT * FROM target_latest;
CREATE VIEW target_latest AS
SELECT t.key, t.name_zh, t.name_en, t.section, t.kind, t.comparator, t.value AS target,
       t.unit, t.frequency, r.value AS baseline, r.unit AS baseline_unit,
       o.value AS latest, o.as_of AS latest_as_of, o.recorded_at, o.note, o.source
FROM targets t
LEFT JOIN results r ON r.key = t.baseline
LEFT JOIN observations o ON o.id = (
    SELECT o2.id FROM observations o2
    WHERE o2.target_key = t.key
    ORDER BY o2.as_of DESC, o2.id DESC LIMIT 1
)
ORDER BY t.ordinal;
