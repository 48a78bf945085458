-- When a batch run should be done (its runner's next scheduled run, or a configured limit): run_will_be_late
-- projects a running run's finish from its progress and compares it with this.
ALTER TABLE monitor.executions ADD COLUMN deadline TIMESTAMPTZ;
