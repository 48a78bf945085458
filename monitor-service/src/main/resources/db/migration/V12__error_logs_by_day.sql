-- error_logs partitioned by the UTC day of received_at, so retention drops a whole day instead of deleting its rows
-- one by one (and vacuuming after them). The monitor creates each day's partition days ahead (DayPartitions); a row
-- whose day has none yet lands in error_logs_default, where retention deletes rows as before.
--
-- A partitioned table's unique index must contain the partition key, so "one row per error_id" moves to
-- monitor.error_ids: the writer claims each error_id there first and stores only the rows it claimed (two replicas, a
-- stream redelivery after a crash). A claim is kept as long as its error's day, so a copy arriving while the error is
-- stored is still recognised.
--
-- Existing rows are copied into the new table in this migration: about 15 s per million rows on a 2-core machine
-- (bench/retention.sh), during which the monitor does not start; events wait in the Redis streams meanwhile.
-- Rolling upgrade: a monitor of an earlier version still running writes with ON CONFLICT (error_id), which has no
-- unique index to use from here on, so each of its batches fails and is retried; the stream entries it holds are taken
-- over by the upgraded replicas (XAUTOCLAIM), the pub/sub events reach those replicas too. Replace it promptly.

CREATE TABLE monitor.error_ids (
    error_id    TEXT        PRIMARY KEY,
    received_at TIMESTAMPTZ NOT NULL
);
INSERT INTO monitor.error_ids (error_id, received_at) SELECT error_id, received_at FROM monitor.error_logs;
-- retention of the claims
CREATE INDEX error_ids_received_at_idx ON monitor.error_ids (received_at);

-- the new table takes over the id sequence, which would otherwise go with the old table
ALTER SEQUENCE monitor.error_logs_id_seq OWNED BY NONE;
ALTER TABLE monitor.error_logs RENAME TO error_logs_unpartitioned;

CREATE TABLE monitor.error_logs (
    id                 BIGINT      NOT NULL DEFAULT nextval('monitor.error_logs_id_seq'),
    error_id           TEXT        NOT NULL,
    error_type         TEXT,
    error_message      TEXT        NOT NULL,
    error_traceback    TEXT,
    severity           TEXT        NOT NULL,
    category           TEXT        NOT NULL,
    component          TEXT,
    operation          TEXT,
    symbol             TEXT,
    timeframe          TEXT,
    context            JSONB       NOT NULL DEFAULT '{}'::jsonb,
    fingerprint        TEXT        NOT NULL,
    occurred_at        TIMESTAMPTZ NOT NULL,
    received_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    stored_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    origin_fingerprint TEXT
) PARTITION BY RANGE (received_at);
ALTER SEQUENCE monitor.error_logs_id_seq OWNED BY monitor.error_logs.id;

CREATE TABLE monitor.error_logs_default PARTITION OF monitor.error_logs DEFAULT;

-- a partition for every day that has rows, and for yesterday to three days ahead
DO $$
DECLARE
    d DATE;
    first_day DATE := least((SELECT min(received_at AT TIME ZONE 'UTC')::date FROM monitor.error_logs_unpartitioned),
                            (now() AT TIME ZONE 'UTC')::date - 1);
    last_day DATE := greatest((SELECT max(received_at AT TIME ZONE 'UTC')::date FROM monitor.error_logs_unpartitioned),
                              (now() AT TIME ZONE 'UTC')::date + 3);
BEGIN
    d := first_day;
    WHILE d <= last_day LOOP
        IF d < (now() AT TIME ZONE 'UTC')::date - 1
                AND NOT EXISTS (SELECT 1 FROM monitor.error_logs_unpartitioned
                                WHERE received_at >= (d::timestamp AT TIME ZONE 'UTC')
                                  AND received_at < ((d + 1)::timestamp AT TIME ZONE 'UTC')) THEN
            d := d + 1;
            CONTINUE;
        END IF;
        EXECUTE format('CREATE TABLE monitor.%I PARTITION OF monitor.error_logs FOR VALUES FROM (%L) TO (%L)',
                       'error_logs_p' || to_char(d, 'YYYYMMDD'),
                       d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
        d := d + 1;
    END LOOP;
END $$;

INSERT INTO monitor.error_logs (id, error_id, error_type, error_message, error_traceback, severity, category, component,
        operation, symbol, timeframe, context, fingerprint, occurred_at, received_at, stored_at, origin_fingerprint)
    SELECT id, error_id, error_type, error_message, error_traceback, severity, category, component,
        operation, symbol, timeframe, context, fingerprint, occurred_at, received_at, stored_at, origin_fingerprint
    FROM monitor.error_logs_unpartitioned;
DROP TABLE monitor.error_logs_unpartitioned;

-- the same indexes as before, on every partition, but for error_id: its claim in error_ids is unique and gives the
-- received_at, so a lookup by error_id reads one day's received_at index (ErrorQueries.byId)
ALTER TABLE monitor.error_logs ADD PRIMARY KEY (id, received_at);
CREATE INDEX error_logs_received_at_idx ON monitor.error_logs (received_at DESC, id DESC);
CREATE INDEX error_logs_occurred_at_idx ON monitor.error_logs (occurred_at);
CREATE INDEX error_logs_severity_received_idx ON monitor.error_logs (severity, received_at DESC);
CREATE INDEX error_logs_category_received_idx ON monitor.error_logs (category, received_at DESC);
CREATE INDEX error_logs_symbol_received_idx ON monitor.error_logs (symbol, received_at DESC) WHERE symbol IS NOT NULL;
CREATE INDEX error_logs_symbol_fingerprint_idx ON monitor.error_logs (symbol, fingerprint) WHERE symbol IS NOT NULL;
CREATE INDEX error_logs_fingerprint_idx ON monitor.error_logs (fingerprint, received_at DESC);
