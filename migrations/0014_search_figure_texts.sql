-- Version 14: figure notes and sources are indexed once per distinct text of a target, not once
-- per figure.
--
-- A statistics sheet brings the same source on every row (县统计局6月统计月报) and often the same
-- note: indexing each figure's copy made the full-text index the larger half of an import's time
-- (a hundred thousand figures: 0.7 s of 1.8 s) and gave a search the same text as many hits as
-- there were figures. `figure_texts` holds each distinct (plan, target, field, text) once; the
-- index holds one row per figure_texts row (rowid 7 × 2^40 + id × 8 + field: 1 note, 2 source).
-- Whether a figure still says it — visible, not retracted — is asked when searching, of the
-- figures themselves, so an undo or a retraction needs no change to the index.
--
-- figure_texts is filled after each write, for the figures with an id above
-- figure_texts_upto.observation_id, in one statement (store.core); a figure deleted at or below
-- that mark lowers it, so a row that takes its id again is read too. A figure changed in place
-- (its target renamed, so its key follows) adds its texts at once. search_source, the view over
-- every figure's texts, stays as it was.

DROP TRIGGER search_figures_insert;
DROP TRIGGER search_figures_update;
DROP TRIGGER search_figures_delete;
DELETE FROM search_index WHERE rowid >= 5497558138880 AND rowid < 6597069766656;

CREATE TABLE figure_texts (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id),
    target_key  TEXT NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('note', 'source')),
    text        TEXT NOT NULL,
    UNIQUE (plan_id, target_key, field, text)
);
CREATE TABLE figure_texts_upto (observation_id INTEGER NOT NULL);

CREATE TRIGGER search_figure_texts_insert AFTER INSERT ON figure_texts BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    VALUES (7696581394432 + NEW.id * 8 + CASE NEW.field WHEN 'note' THEN 1 ELSE 2 END, NEW.text, 'figure', NEW.target_key,
            NEW.field, NULL, (SELECT key FROM plans WHERE id = NEW.plan_id));
END;
CREATE TRIGGER search_figure_texts_delete AFTER DELETE ON figure_texts BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 7696581394432 + OLD.id * 8 AND 7696581394432 + OLD.id * 8 + 7;
END;

CREATE TRIGGER figure_texts_changed AFTER UPDATE OF plan_id, target_key, note, source ON observations BEGIN
    INSERT OR IGNORE INTO figure_texts (plan_id, target_key, field, text)
    SELECT NEW.plan_id, NEW.target_key, f.field, f.text
    FROM (SELECT 'note' AS field, NEW.note AS text UNION ALL SELECT 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER figure_texts_unread AFTER DELETE ON observations
WHEN OLD.id <= (SELECT observation_id FROM figure_texts_upto) BEGIN
    UPDATE figure_texts_upto SET observation_id = OLD.id - 1;
END;

INSERT INTO figure_texts (plan_id, target_key, field, text)
SELECT plan_id, target_key, 'note', note FROM observations WHERE note <> ''
UNION SELECT plan_id, target_key, 'source', source FROM observations WHERE source <> '';
INSERT INTO figure_texts_upto (observation_id) SELECT COALESCE(MAX(id), 0) FROM observations;
