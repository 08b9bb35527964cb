-- Version 11: full-text search (hnreport search) over what the report says and what units
-- recorded: target, result and milestone names and phrases (原文), the milestones' progress notes
-- (进展情况 / 存在问题 / 下一步措施) and their evidence, figure notes and sources, the glossary.
--
-- Chinese has no spaces between words: the trigram tokenizer indexes every three characters, so
-- any text of three characters or more is found where it occurs (棚户区, 土谷塘). Shorter queries
-- (双碳) read the content tables directly through the view search_source.
--
-- One index row per searchable field of a content row. Its rowid is made from the content row's:
-- table × 2^40 + rowid × 8 + field (tables: 1 targets, 2 results, 3 milestones, 4 milestone_status,
-- 5 observations, 6 glossary), so the triggers find the rows they replace by a rowid range, never
-- by a scan. Each index row carries the change that made its content row (change_id): a search
-- keeps only rows of visible changes, so an undone note disappears without touching the index.
-- `plan` is the plan the row belongs to.

CREATE VIRTUAL TABLE search_index USING fts5(
    text, kind UNINDEXED, key UNINDEXED, field UNINDEXED, change_id UNINDEXED, plan UNINDEXED,
    tokenize = 'trigram'
);

-- Every searchable text with its place: what the index holds, and what a one- or two-character
-- search reads (for sqlite3 / Datasette users too: SELECT * FROM search_source WHERE instr(text, '双碳')).
CREATE VIEW search_source AS
SELECT 1099511627776 + t.rowid * 8 + 1 AS id, 'target' AS kind, t.key, 'name' AS field, t.name_zh AS text, t.change_id FROM targets t
UNION ALL SELECT 1099511627776 + t.rowid * 8 + 2, 'target', t.key, 'phrase', t.phrase, t.change_id FROM targets t
UNION ALL SELECT 2199023255552 + r.rowid * 8 + 1, 'result', r.key, 'name', r.name_zh, NULL FROM results r
UNION ALL SELECT 2199023255552 + r.rowid * 8 + 2, 'result', r.key, 'phrase', r.phrase, NULL FROM results r
UNION ALL SELECT 3298534883328 + m.rowid * 8 + 1, 'milestone', m.key, 'name', m.name_zh, m.change_id FROM milestones m
UNION ALL SELECT 3298534883328 + m.rowid * 8 + 2, 'milestone', m.key, 'phrase', m.phrase, m.change_id FROM milestones m
UNION ALL SELECT 4398046511104 + s.id * 8 + 1, 'note', s.milestone_key, 'progress', s.progress, s.change_id FROM milestone_status s
UNION ALL SELECT 4398046511104 + s.id * 8 + 2, 'note', s.milestone_key, 'problems', s.problems, s.change_id FROM milestone_status s
UNION ALL SELECT 4398046511104 + s.id * 8 + 3, 'note', s.milestone_key, 'next_steps', s.next_steps, s.change_id FROM milestone_status s
UNION ALL SELECT 4398046511104 + s.id * 8 + 4, 'note', s.milestone_key, 'source', s.source, s.change_id FROM milestone_status s
UNION ALL SELECT 5497558138880 + o.id * 8 + 1, 'figure', o.target_key, 'note', o.note, o.change_id FROM observations o
UNION ALL SELECT 5497558138880 + o.id * 8 + 2, 'figure', o.target_key, 'source', o.source, o.change_id FROM observations o
UNION ALL SELECT 6597069766656 + g.number * 8 + 1, 'term', CAST(g.number AS TEXT), 'term', g.term, NULL FROM glossary g
UNION ALL SELECT 6597069766656 + g.number * 8 + 2, 'term', CAST(g.number AS TEXT), 'explanation', g.explanation_zh, NULL FROM glossary g;

INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
SELECT id, text, kind, key, field, change_id, (SELECT key FROM plan WHERE id = 1)
FROM search_source WHERE text IS NOT NULL AND text <> '';

-- Keeping it current: a new row adds its fields; a changed one (a seeded name corrected, a key
-- renamed) replaces them; a removed one takes them away.
CREATE TRIGGER search_targets_insert AFTER INSERT ON targets BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 1099511627776 + NEW.rowid * 8 + f.n, f.text, 'target', NEW.key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_targets_update AFTER UPDATE OF key, name_zh, phrase, change_id ON targets BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 1099511627776 + OLD.rowid * 8 AND 1099511627776 + OLD.rowid * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 1099511627776 + NEW.rowid * 8 + f.n, f.text, 'target', NEW.key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_targets_delete AFTER DELETE ON targets BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 1099511627776 + OLD.rowid * 8 AND 1099511627776 + OLD.rowid * 8 + 7;
END;

CREATE TRIGGER search_results_insert AFTER INSERT ON results BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 2199023255552 + NEW.rowid * 8 + f.n, f.text, 'result', NEW.key, f.field, NULL, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_results_update AFTER UPDATE OF key, name_zh, phrase ON results BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 2199023255552 + OLD.rowid * 8 AND 2199023255552 + OLD.rowid * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 2199023255552 + NEW.rowid * 8 + f.n, f.text, 'result', NEW.key, f.field, NULL, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_results_delete AFTER DELETE ON results BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 2199023255552 + OLD.rowid * 8 AND 2199023255552 + OLD.rowid * 8 + 7;
END;

CREATE TRIGGER search_milestones_insert AFTER INSERT ON milestones BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 3298534883328 + NEW.rowid * 8 + f.n, f.text, 'milestone', NEW.key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_milestones_update AFTER UPDATE OF key, name_zh, phrase, change_id ON milestones BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 3298534883328 + OLD.rowid * 8 AND 3298534883328 + OLD.rowid * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 3298534883328 + NEW.rowid * 8 + f.n, f.text, 'milestone', NEW.key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'name' AS field, NEW.name_zh AS text UNION ALL SELECT 2, 'phrase', NEW.phrase) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_milestones_delete AFTER DELETE ON milestones BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 3298534883328 + OLD.rowid * 8 AND 3298534883328 + OLD.rowid * 8 + 7;
END;

CREATE TRIGGER search_status_insert AFTER INSERT ON milestone_status BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 4398046511104 + NEW.id * 8 + f.n, f.text, 'note', NEW.milestone_key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'progress' AS field, NEW.progress AS text UNION ALL SELECT 2, 'problems', NEW.problems
          UNION ALL SELECT 3, 'next_steps', NEW.next_steps UNION ALL SELECT 4, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_status_update AFTER UPDATE OF milestone_key, progress, problems, next_steps, source, change_id ON milestone_status BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 4398046511104 + OLD.id * 8 AND 4398046511104 + OLD.id * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 4398046511104 + NEW.id * 8 + f.n, f.text, 'note', NEW.milestone_key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'progress' AS field, NEW.progress AS text UNION ALL SELECT 2, 'problems', NEW.problems
          UNION ALL SELECT 3, 'next_steps', NEW.next_steps UNION ALL SELECT 4, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_status_delete AFTER DELETE ON milestone_status BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 4398046511104 + OLD.id * 8 AND 4398046511104 + OLD.id * 8 + 7;
END;

CREATE TRIGGER search_figures_insert AFTER INSERT ON observations BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 5497558138880 + NEW.id * 8 + f.n, f.text, 'figure', NEW.target_key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'note' AS field, NEW.note AS text UNION ALL SELECT 2, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_figures_update AFTER UPDATE OF target_key, note, source, change_id ON observations BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 5497558138880 + OLD.id * 8 AND 5497558138880 + OLD.id * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 5497558138880 + NEW.id * 8 + f.n, f.text, 'figure', NEW.target_key, f.field, NEW.change_id, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'note' AS field, NEW.note AS text UNION ALL SELECT 2, 'source', NEW.source) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_figures_delete AFTER DELETE ON observations BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 5497558138880 + OLD.id * 8 AND 5497558138880 + OLD.id * 8 + 7;
END;

CREATE TRIGGER search_glossary_insert AFTER INSERT ON glossary BEGIN
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 6597069766656 + NEW.number * 8 + f.n, f.text, 'term', CAST(NEW.number AS TEXT), f.field, NULL, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'term' AS field, NEW.term AS text UNION ALL SELECT 2, 'explanation', NEW.explanation_zh) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_glossary_update AFTER UPDATE OF number, term, explanation_zh ON glossary BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 6597069766656 + OLD.number * 8 AND 6597069766656 + OLD.number * 8 + 7;
    INSERT INTO search_index (rowid, text, kind, key, field, change_id, plan)
    SELECT 6597069766656 + NEW.number * 8 + f.n, f.text, 'term', CAST(NEW.number AS TEXT), f.field, NULL, (SELECT key FROM plan WHERE id = 1)
    FROM (SELECT 1 AS n, 'term' AS field, NEW.term AS text UNION ALL SELECT 2, 'explanation', NEW.explanation_zh) f
    WHERE f.text IS NOT NULL AND f.text <> '';
END;
CREATE TRIGGER search_glossary_delete AFTER DELETE ON glossary BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN 6597069766656 + OLD.number * 8 AND 6597069766656 + OLD.number * 8 + 7;
END;
