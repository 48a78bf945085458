-- Below-threshold errors (e.g. warnings) are not stored, only counted in error_counts. Every monitor
-- replica receives every event, so the count is claimed per error_id here first: the replica whose
-- INSERT ... ON CONFLICT DO NOTHING returns the id counts it, the others count nothing. Rows only need
-- to outlive the time replicas take to receive the same event; CountedEventsSweeper keeps it bounded.
CREATE TABLE monitor.counted_events (
    error_id   TEXT        PRIMARY KEY,
    counted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX counted_events_counted_at_idx ON monitor.counted_events (counted_at);
