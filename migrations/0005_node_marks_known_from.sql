-- Version 5: time nodes marked met or missed, and the "known from" date of a back-filled change.
--
-- A mark is appended, never overwritten: the latest visible mark of a milestone's node (by its
-- date) is the one in force, and an undone mark only hides. `--known-at` counts a change from its
-- `known_from` when the change declares one (record/import --known-from), otherwise from `at`,
-- the real time it was made, which is never rewritten.

ALTER TABLE journal ADD COLUMN known_from TEXT;  -- UTC, ISO 8601, as `at`

CREATE TABLE node_marks (
    id             INTEGER PRIMARY KEY,
    milestone_key  TEXT NOT NULL REFERENCES milestones(key) ON UPDATE CASCADE,
    node_date      TEXT NOT NULL CHECK (node_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    mark           TEXT NOT NULL CHECK (mark IN ('met', 'missed')),
    note           TEXT,
    recorded_at    TEXT NOT NULL,
    change_id      INTEGER REFERENCES journal(id)
);
CREATE INDEX node_marks_by_node ON node_marks (milestone_key, node_date, id);

-- Each time node with the mark in force, for sqlite3 / Datasette users.
CREATE VIEW milestone_nodes AS
SELECT d.milestone_key AS key, d.due_date AS node_date, d.text,
       (SELECT n.mark FROM node_marks n
        WHERE n.milestone_key = d.milestone_key AND n.node_date = d.due_date
          AND (n.change_id IS NULL OR n.change_id IN active_changes)
        ORDER BY n.id DESC LIMIT 1) AS mark
FROM deadlines d
WHERE d.kind = 'node' AND (d.change_id IS NULL OR d.change_id IN active_changes)
ORDER BY d.milestone_key, d.due_date, d.id;

-- A commitment without a stated due date is due by the plan year's end (shown as implied).
DROP VIEW milestone_latest;
CREATE VIEW milestone_latest AS
SELECT m.key, m.name_zh, m.name_en, m.section, m.strength,
       COALESCE(s.status, 'not_rated') AS status, s.as_of AS status_as_of, s.source,
       COALESCE(
           (SELECT d.due_date FROM deadlines d
            WHERE d.milestone_key = m.key AND d.kind IN ('due', 'extension')
              AND (d.change_id IS NULL OR d.change_id IN active_changes)
            ORDER BY d.id DESC LIMIT 1),
           (SELECT p.year || '-12-31' FROM plan p WHERE p.id = 1)) AS due_date,
       NOT EXISTS (SELECT 1 FROM deadlines d
                   WHERE d.milestone_key = m.key AND d.kind IN ('due', 'extension')
                     AND (d.change_id IS NULL OR d.change_id IN active_changes)) AS due_implied,
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
