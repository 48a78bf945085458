-- Batch runs and their executions: the history behind /api/runs, kept across restarts.
CREATE TABLE runner.batch_run (
    id                TEXT PRIMARY KEY,
    status            TEXT        NOT NULL,
    trigger           TEXT        NOT NULL,
    job_filter        TEXT,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    total_jobs        INT         NOT NULL DEFAULT 0,
    completed_jobs    INT         NOT NULL DEFAULT 0,
    failed_jobs       INT         NOT NULL DEFAULT 0,
    records_processed BIGINT      NOT NULL DEFAULT 0,
    message           TEXT,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX batch_run_started_at ON runner.batch_run (started_at DESC);
CREATE INDEX batch_run_running ON runner.batch_run (status) WHERE status = 'running';

CREATE TABLE runner.execution (
    id                TEXT PRIMARY KEY,
    batch_run_id      TEXT        NOT NULL REFERENCES runner.batch_run (id) ON DELETE CASCADE,
    job               TEXT        NOT NULL,
    symbol            TEXT        NOT NULL DEFAULT '',
    timeframe         TEXT        NOT NULL DEFAULT '',
    status            TEXT        NOT NULL,
    attempts          INT         NOT NULL DEFAULT 0,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    records_processed BIGINT,
    exit_code         INT,
    error_type        TEXT,
    error_message     TEXT
);
CREATE INDEX execution_batch_run ON runner.execution (batch_run_id, started_at);

-- One row per job and target ('' when untargeted): what the due-job selection orders by.
CREATE TABLE runner.job_state (
    job                  TEXT NOT NULL,
    symbol               TEXT NOT NULL DEFAULT '',
    timeframe            TEXT NOT NULL DEFAULT '',
    last_attempt_at      TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_status          TEXT,
    next_retry_at        TIMESTAMPTZ,
    consecutive_failures INT NOT NULL DEFAULT 0,
    PRIMARY KEY (job, symbol, timeframe)
);
