-- The job_failed rule reads the targets whose latest attempt failed at every evaluation: only those rows.
CREATE INDEX freshness_failed_idx ON monitor.freshness (job) WHERE last_status = 'failed';
