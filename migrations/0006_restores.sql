-- Version 6: a restore is a journalled change. Its journal entry (action 'db.restore') is written
-- into the restored database, with this row: the file it came from and where the database it
-- replaced was saved, so that `undo` right after it can put that database back.
CREATE TABLE restores (
    change_id    INTEGER PRIMARY KEY REFERENCES journal(id),
    source       TEXT NOT NULL,     -- the file restored from
    saved_to     TEXT,              -- the before-restore copy of the replaced database; NULL if there was none
    schema_from  INTEGER NOT NULL   -- the schema version of the file restored from
);
