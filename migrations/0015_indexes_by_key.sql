-- Version 15: the indexes by key lead with the key again, not with the plan.
--
-- 0012 put plan_id first in every index of a per-plan table. A query names the plan only when
-- the database holds several (it then reads through views that add plan_id = N); with one plan
-- — most databases — it asks for a target's figures by key alone, which an index leading with
-- plan_id cannot answer: a report over a million figures read them all, once per target (3.3 s
-- instead of 0.2). Led by the key, each index answers both; with several plans the few rows of
-- the same key in another plan are passed over.

DROP INDEX observations_latest;
CREATE INDEX observations_latest ON observations (target_key, as_of, id);
DROP INDEX observations_final;
CREATE INDEX observations_final ON observations (target_key, as_of, id) WHERE vintage = 'final';
DROP INDEX milestone_status_latest;
CREATE INDEX milestone_status_latest ON milestone_status (milestone_key, as_of, id);
DROP INDEX deadlines_by_milestone;
CREATE INDEX deadlines_by_milestone ON deadlines (milestone_key, id);
DROP INDEX target_revisions_key;
CREATE INDEX target_revisions_key ON target_revisions (target_key, effective, id);
DROP INDEX node_marks_by_node;
CREATE INDEX node_marks_by_node ON node_marks (milestone_key, node_date, id);
DROP INDEX target_aliases_norm;
CREATE INDEX target_aliases_norm ON target_aliases (norm, id);
DROP INDEX target_aliases_target;
CREATE INDEX target_aliases_target ON target_aliases (target_key, id);
DROP INDEX assignment_log_item;
CREATE INDEX assignment_log_item ON assignment_log (item_key, id);
DROP INDEX unit_reports_period;
CREATE INDEX unit_reports_period ON unit_reports (period, unit_id, id);
DROP INDEX unit_report_items_item;
CREATE INDEX unit_report_items_item ON unit_report_items (item_key, id);
