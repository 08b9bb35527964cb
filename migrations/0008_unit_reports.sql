-- Version 8: the units' monthly reports (报送表) as they came back.
--
-- `hnreport units sheet` writes each lead unit a workbook for a period (a month: the report due
-- on that month's report.due_day); `hnreport units collect` reads the returned workbooks. A
-- collect is one journalled change: the statuses and figures it records (milestone_status,
-- observations) carry its change_id, and so do these rows — the return itself (which unit, which
-- period, which file) and each row as the unit answered it, so that `units missing` can say who
-- has not reported and which items were left blank. An undone collect only hides them.

CREATE TABLE unit_reports (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    period        TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),  -- the month, 2022-07
    sheet_id      TEXT NOT NULL,      -- the id `units sheet` wrote into the workbook
    file          TEXT NOT NULL,      -- the file it was read from, as given
    collected_at  TEXT NOT NULL,      -- UTC, ISO 8601
    change_id     INTEGER REFERENCES journal(id)
);
CREATE INDEX unit_reports_period ON unit_reports (period, unit_id, id);

-- answer: 'reported' (something new: a status, texts or a figure), 'unchanged' (filled in as it
-- already stood) or 'blank' (left empty: no report on that item this period).
CREATE TABLE unit_report_items (
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
CREATE INDEX unit_report_items_report ON unit_report_items (report_id, id);
CREATE INDEX unit_report_items_item ON unit_report_items (item_key, id);
