-- Issue 17: every table the retention job (RetentionJob) ages out is read through an index, so an hourly purge never
-- scans a whole table. The scans that already had one:
--   error_logs (received_at)          error_logs_received_at_idx
--   error_counts (bucket)             its primary key (bucket, severity, category)
--   executions (updated_at)           executions_updated_at_idx
--   rejected_events (received_at)     rejected_events_received_at_idx
--   dead_letters (dead_at)            dead_letters_dead_at_idx
--   notifications (updated_at)        notifications_updated_idx
--   counted_events (counted_at)       counted_events_counted_at_idx (CountedEventsSweeper)
-- The ones added here:

-- groups whose last occurrence is older than the retention age
CREATE INDEX error_groups_last_seen_idx ON monitor.error_groups (last_seen);

-- resolved alerts older than the age (open ones, resolved_at NULL, are never purged and not in the index)
CREATE INDEX alerts_resolved_at_idx ON monitor.alerts (resolved_at) WHERE resolved_at IS NOT NULL;

-- targets not seen (no attempt, no success) for the age; greatest() ignores a NULL
CREATE INDEX freshness_last_seen_idx ON monitor.freshness ((greatest(last_attempt_at, last_success_at)));

-- silences over (expired by hand, or past their end) for the age; least() ignores a NULL, so a silence with neither
-- an expiry nor an end has a NULL entry and is never purged
CREATE INDEX silences_ended_idx ON monitor.silences ((least(expired_at, ends_at)));
