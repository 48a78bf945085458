-- A success dated ahead of the clock kept its job fresh until that date (and every later success, since freshness keeps
-- the latest): the monitor now takes such times as the time received. Rows written before that are counted from now,
-- so a job that has stopped goes stale after its threshold instead of at the date its producer claimed.
UPDATE monitor.freshness SET last_success_at = now() WHERE last_success_at > now() + interval '5 minutes';
UPDATE monitor.freshness SET last_attempt_at = now() WHERE last_attempt_at > now() + interval '5 minutes';
