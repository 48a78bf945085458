-- The monitor's own tables, all in schema "monitor" (Flyway creates the schema).

-- Persisted errors (at or above the severity filter); idempotent on error_id.
CREATE TABLE monitor.error_logs (
    id              BIGSERIAL PRIMARY KEY,
    error_id        TEXT        NOT NULL UNIQUE,
    error_type      TEXT,
    error_message   TEXT        NOT NULL,
    error_traceback TEXT,
    severity        TEXT        NOT NULL,
    category        TEXT        NOT NULL,
    component       TEXT,
    operation       TEXT,
    symbol          TEXT,
    timeframe       TEXT,
    context         JSONB       NOT NULL DEFAULT '{}'::jsonb,
    fingerprint     TEXT        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- /api/errors/recent (newest first, optional filters), retention, alert windows
CREATE INDEX error_logs_received_at_idx ON monitor.error_logs (received_at DESC, id DESC);
CREATE INDEX error_logs_occurred_at_idx ON monitor.error_logs (occurred_at);
CREATE INDEX error_logs_severity_received_idx ON monitor.error_logs (severity, received_at DESC);
CREATE INDEX error_logs_category_received_idx ON monitor.error_logs (category, received_at DESC);
CREATE INDEX error_logs_symbol_received_idx ON monitor.error_logs (symbol, received_at DESC) WHERE symbol IS NOT NULL;

-- Sentry-style groups: one row per fingerprint with a count.
CREATE TABLE monitor.error_groups (
    fingerprint     TEXT        PRIMARY KEY,
    error_type      TEXT,
    component       TEXT,
    operation       TEXT,
    message_pattern TEXT        NOT NULL,
    severity        TEXT        NOT NULL,
    category        TEXT        NOT NULL,
    count           BIGINT      NOT NULL,
    first_seen      TIMESTAMPTZ NOT NULL,
    last_seen       TIMESTAMPTZ NOT NULL,
    last_error_id   TEXT        NOT NULL
);
CREATE INDEX error_groups_count_idx ON monitor.error_groups (count DESC, last_seen DESC);

-- Per-minute counts of ALL received errors, also those below the severity filter.
CREATE TABLE monitor.error_counts (
    bucket   TIMESTAMPTZ NOT NULL,
    severity TEXT        NOT NULL,
    category TEXT        NOT NULL,
    count    BIGINT      NOT NULL,
    PRIMARY KEY (bucket, severity, category)
);

-- One row per job execution (kind 'job', key = execution_id) and per batch run (kind 'run', key = batch_run_id).
CREATE TABLE monitor.executions (
    id                BIGSERIAL PRIMARY KEY,
    kind              TEXT        NOT NULL CHECK (kind IN ('job', 'run')),
    execution_key     TEXT        NOT NULL,
    execution_id      TEXT,
    batch_run_id      TEXT,
    job               TEXT,
    symbol            TEXT,
    timeframe         TEXT,
    status            TEXT        NOT NULL,
    started_at        TIMESTAMPTZ,
    completed_at      TIMESTAMPTZ,
    duration_seconds  DOUBLE PRECISION,
    records_processed BIGINT,
    attempt           INTEGER,
    error_message     TEXT,
    total_jobs        INTEGER,
    successful_jobs   INTEGER,
    failed_jobs       INTEGER,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kind, execution_key)
);
CREATE INDEX executions_kind_started_idx ON monitor.executions (kind, started_at DESC NULLS LAST, id DESC);
CREATE INDEX executions_failed_idx ON monitor.executions (kind, status, updated_at DESC);
CREATE INDEX executions_updated_at_idx ON monitor.executions (updated_at);

-- One row per (job, symbol, timeframe); symbol/timeframe '' for untargeted jobs. Status is computed on read.
CREATE TABLE monitor.freshness (
    job                TEXT        NOT NULL,
    symbol             TEXT        NOT NULL DEFAULT '',
    timeframe          TEXT        NOT NULL DEFAULT '',
    last_success_at    TIMESTAMPTZ,
    last_attempt_at    TIMESTAMPTZ,
    last_status        TEXT,
    last_error_message TEXT,
    data_point_count   BIGINT      NOT NULL DEFAULT 0,
    fresh_seconds      BIGINT,
    stale_seconds      BIGINT,
    PRIMARY KEY (job, symbol, timeframe)
);

-- One row per alert condition episode; reminders update it.
CREATE TABLE monitor.alerts (
    alert_id         TEXT        PRIMARY KEY,
    rule             TEXT        NOT NULL,
    severity         TEXT        NOT NULL,
    message          TEXT        NOT NULL,
    key              TEXT        NOT NULL,
    first_seen       TIMESTAMPTZ NOT NULL,
    last_seen        TIMESTAMPTZ NOT NULL,
    count            BIGINT      NOT NULL,
    reminders        INTEGER     NOT NULL DEFAULT 0,
    last_notified_at TIMESTAMPTZ NOT NULL,
    resolved_at      TIMESTAMPTZ
);
-- at most one open episode per condition key
CREATE UNIQUE INDEX alerts_open_key_idx ON monitor.alerts (key) WHERE resolved_at IS NULL;
CREATE INDEX alerts_last_notified_idx ON monitor.alerts (last_notified_at DESC);

-- Invalid messages, kept so an operator can see what a producer sends wrong.
CREATE TABLE monitor.rejected_events (
    id          BIGSERIAL PRIMARY KEY,
    channel     TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    payload     TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rejected_events_received_at_idx ON monitor.rejected_events (received_at DESC);
