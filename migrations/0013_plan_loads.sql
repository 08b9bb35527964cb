-- What a `plan load` over a plan already in the database changed in that plan's seeded facts:
-- each row as it was before the load and as the load left it (JSON objects of its columns; NULL:
-- the row was not there), and each key the file renamed. `undo` of the load puts the rows back as
-- they were, `redo` as the load left them; rows a user recorded are never among them.
CREATE TABLE seed_images (
    id         INTEGER PRIMARY KEY,
    change_id  INTEGER NOT NULL REFERENCES journal(id),
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    tbl        TEXT NOT NULL,        -- plans, sections, results, targets, milestones, glossary, target_aliases
    row_key    TEXT NOT NULL,        -- the row's key within its plan (renames: the key before)
    before     TEXT,                 -- the row before the load (JSON); NULL: the load added it
    after      TEXT,                 -- the row after the load (JSON); NULL: the load removed it
    renamed_to TEXT                  -- a key the file renamed (renamed_from): the key after; before/after NULL
);
CREATE INDEX seed_images_change ON seed_images (change_id, id);

-- The plan files loaded (each version once per plan): what `db check` checks a loaded plan's
-- seeded facts against, as it checks the embedded plan's against data/.
CREATE TABLE plan_files (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    digest     TEXT NOT NULL,          -- plans.seed_digest of the load that kept it
    content    BLOB NOT NULL,          -- the file as loaded, byte for byte
    change_id  INTEGER REFERENCES journal(id)
);
CREATE INDEX plan_files_plan ON plan_files (plan_id, digest);
