-- executions partitioned by the UTC day the monitor first saw each execution (received_at), like error_logs (V12), so
-- retention drops a whole day instead of deleting its rows one by one. The day of an execution never changes: its
-- later events (started, then succeeded, perhaps days later) update the row where it is.
--
-- A partitioned table's unique index must contain the partition key, so "one row per (kind, execution_key)" moves to
-- monitor.execution_keys: the writer claims each key there in the same statement as its upsert, and the claim gives
-- the day the row lives in. A claim is kept a day longer than its day's rows.
--
-- Existing rows keep their place in retention: their received_at is their updated_at, the column retention read so far.
-- Rolling upgrade: a monitor of an earlier version still running writes with ON CONFLICT (kind, execution_key), which
-- has no unique index to use from here on, so its batches fail and are retried; the stream entries it holds are taken
-- over by the upgraded replicas. Replace it promptly (as for V12).

CREATE TABLE monitor.execution_keys (
    kind          TEXT        NOT NULL,
    execution_key TEXT        NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, execution_key)
);
INSERT INTO monitor.execution_keys (kind, execution_key, received_at)
    SELECT kind, execution_key, updated_at FROM monitor.executions;
-- retention of the claims
CREATE INDEX execution_keys_received_at_idx ON monitor.execution_keys (received_at);

ALTER SEQUENCE monitor.executions_id_seq OWNED BY NONE;
ALTER TABLE monitor.executions RENAME TO executions_unpartitioned;

CREATE TABLE monitor.executions (
    id                BIGINT      NOT NULL DEFAULT nextval('monitor.executions_id_seq'),
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
    deadline          TIMESTAMPTZ,
    received_at       TIMESTAMPTZ NOT NULL DEFAULT now()
) PARTITION BY RANGE (received_at);
ALTER SEQUENCE monitor.executions_id_seq OWNED BY monitor.executions.id;

CREATE TABLE monitor.executions_default PARTITION OF monitor.executions DEFAULT;

-- a partition for every day that has rows, and for yesterday to three days ahead
DO $$
DECLARE
    d DATE;
    first_day DATE := least((SELECT min(updated_at AT TIME ZONE 'UTC')::date FROM monitor.executions_unpartitioned),
                            (now() AT TIME ZONE 'UTC')::date - 1);
    last_day DATE := greatest((SELECT max(updated_at AT TIME ZONE 'UTC')::date FROM monitor.executions_unpartitioned),
                              (now() AT TIME ZONE 'UTC')::date + 3);
BEGIN
    d := first_day;
    WHILE d <= last_day LOOP
        IF d < (now() AT TIME ZONE 'UTC')::date - 1
                AND NOT EXISTS (SELECT 1 FROM monitor.executions_unpartitioned
                                WHERE updated_at >= (d::timestamp AT TIME ZONE 'UTC')
                                  AND updated_at < ((d + 1)::timestamp AT TIME ZONE 'UTC')) THEN
            d := d + 1;
            CONTINUE;
        END IF;
        EXECUTE format('CREATE TABLE monitor.%I PARTITION OF monitor.executions FOR VALUES FROM (%L) TO (%L)',
                       'executions_p' || to_char(d, 'YYYYMMDD'),
                       d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
        d := d + 1;
    END LOOP;
END $$;

INSERT INTO monitor.executions (id, kind, execution_key, execution_id, batch_run_id, job, symbol, timeframe, status,
        started_at, completed_at, duration_seconds, records_processed, attempt, error_message, total_jobs,
        successful_jobs, failed_jobs, updated_at, deadline, received_at)
    SELECT id, kind, execution_key, execution_id, batch_run_id, job, symbol, timeframe, status,
        started_at, completed_at, duration_seconds, records_processed, attempt, error_message, total_jobs,
        successful_jobs, failed_jobs, updated_at, deadline, updated_at
    FROM monitor.executions_unpartitioned;
DROP TABLE monitor.executions_unpartitioned;

-- the writer's upsert target: one row per key within its day (execution_keys makes it one row per key)
ALTER TABLE monitor.executions ADD PRIMARY KEY (id, received_at);
CREATE UNIQUE INDEX executions_key_day_idx ON monitor.executions (kind, execution_key, received_at);
CREATE INDEX executions_kind_started_idx ON monitor.executions (kind, started_at DESC NULLS LAST, id DESC);
CREATE INDEX executions_failed_idx ON monitor.executions (kind, status, updated_at DESC);
-- retention of the rows in the default partition (the days dropped whole need none)
CREATE INDEX executions_received_at_idx ON monitor.executions (received_at);
