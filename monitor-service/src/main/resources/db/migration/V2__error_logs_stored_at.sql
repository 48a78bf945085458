-- When the row was actually written (clock_timestamp, not the transaction start): lets the
-- benchmark measure publish-to-row latency as stored_at - occurred_at.
ALTER TABLE monitor.error_logs ADD COLUMN stored_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp();
