-- Version 9: the final (最终核实) figures of each target and period, indexed apart. A final figure
-- is preferred over a preliminary one for the same period whichever came later; finding whether
-- a period has one is then a seek, however many preliminary figures the period holds.
CREATE INDEX observations_final ON observations (target_key, as_of, id) WHERE vintage = 'final';
