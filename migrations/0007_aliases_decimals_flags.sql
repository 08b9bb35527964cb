-- Version 7: figures as the statistics bureau publishes them.
--
-- target_aliases: the names statistical tables print for a target (地区生产总值, 规模以上工业增加值…),
-- matched after normalising spaces, full-width characters and brackets (`norm`). Seeded names have
-- no change; a name added with `targets alias` is journalled and an undone one only hides.
--
-- observations.decimals: the number of decimals the figure was given with ("5.0" → 1), which a
-- REAL cannot keep; NULL for figures recorded before this version (shown as they always were).
-- observations.flag: why a figure was let in over a warning or a refusal (an implausible
-- magnitude confirmed, a period not yet ended recorded with --force); NULL for an ordinary figure.

CREATE TABLE target_aliases (
    id          INTEGER PRIMARY KEY,
    target_key  TEXT NOT NULL REFERENCES targets(key) ON UPDATE CASCADE,
    alias       TEXT NOT NULL,      -- as printed
    norm        TEXT NOT NULL,      -- as matched
    source      TEXT,               -- where the name is printed (seeded names)
    change_id   INTEGER REFERENCES journal(id)
);
CREATE INDEX target_aliases_norm ON target_aliases (norm, id);
CREATE INDEX target_aliases_target ON target_aliases (target_key, id);

ALTER TABLE observations ADD COLUMN decimals INTEGER CHECK (decimals IS NULL OR decimals BETWEEN 0 AND 15);
ALTER TABLE observations ADD COLUMN flag TEXT;
