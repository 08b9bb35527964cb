-- Version 4: the undo entries one `hnreport undo` command writes share a batch, so `redo`
-- re-applies exactly what the most recent undo reverted (timestamps alone cannot tell two quick
-- undos apart).
ALTER TABLE journal ADD COLUMN batch INTEGER;
UPDATE journal SET batch = id WHERE action = 'undo';
