-- Fills a DEDICATED benchmark database (bench/run-all.sh uses monitoring_bench_query, already
-- migrated by a monitor start) with :rows stored errors received over the last 24 hours, and
-- the error_groups and error_counts the monitor would have written for them:
--   psql -d monitoring_bench_query -v rows=1000000 -f bench/query-fill.sql
-- It empties error_logs, error_groups and the error counts first: never run it on a real database.
-- Spread: 12 error types (each with its category), 20 components x 5 operations, skewed so a
-- few groups are large; severity error 85 %, critical 15 % (the stored ones at MIN_SEVERITY=error);
-- 100 symbols (none for 20 %); error_counts also counts warnings (1.5 per stored error) and info
-- (0.5), which the monitor counts but does not store.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- one transaction: a failure leaves the tables (and their indexes) as they were
BEGIN;
TRUNCATE monitor.error_logs, monitor.error_ids, monitor.error_groups, monitor.error_counts, monitor.error_counts_hourly,
    monitor.error_group_activity;

-- no index maintenance row by row: drop the secondary indexes and build them once at the end
CREATE TEMP TABLE saved_indexes ON COMMIT DROP AS
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'monitor' AND tablename = 'error_logs'
      AND indexname <> 'error_logs_pkey';
DO $$ DECLARE i record; BEGIN
    FOR i IN SELECT indexname FROM saved_indexes LOOP EXECUTE 'DROP INDEX monitor.' || quote_ident(i.indexname); END LOOP;
END $$;

INSERT INTO monitor.error_logs (error_id, error_type, error_message, error_traceback, severity, category,
    component, operation, symbol, timeframe, context, fingerprint, occurred_at, received_at, stored_at)
SELECT 'benchfill-' || g,
       t.name,
       format('%s failed in %s.%s for %s: attempt %s after %s ms', t.name, c.name, o.name,
              coalesce(s.symbol, 'all symbols'), 1 + g % 3, (g::bigint * 7919) % 5000),
       format(E'Traceback (most recent call last):\n  File "%s.py", line %s, in %s\n  File "base.py", line 88, in run\n%s: see log',
              lower(c.name), 10 + g % 400, o.name, t.name),
       CASE WHEN r.sev < 0.15 THEN 'critical' ELSE 'error' END,
       t.category, c.name, o.name, s.symbol, tf.timeframe,
       jsonb_build_object('component', c.name, 'operation', o.name, 'symbol', s.symbol, 'timeframe', tf.timeframe,
                          'metadata', jsonb_build_object('attempt', 1 + g % 3, 'host', 'worker-' || (g % 8))),
       -- what ErrorFingerprint groups by: type, component, operation and the message without its numbers
       -- ('SYM12' becomes 'SYM<n>', so only a missing symbol makes another group)
       -- (and the timeframe, so that there are about 10,000 groups, as the group benchmarks ask)
       encode(sha256(convert_to(concat_ws('|', t.name, c.name, o.name, s.symbol IS NULL, tf.timeframe), 'UTF8')), 'hex'),
       ts.at - interval '5 milliseconds', ts.at, ts.at + interval '2 milliseconds'
FROM generate_series(1, :rows) AS g
CROSS JOIN LATERAL (SELECT random() AS sev, random() AS ty, random() AS co, random() AS op, random() AS sy,
                           random() AS tf, random() AS at, g AS dep) AS r
CROSS JOIN LATERAL (SELECT (ARRAY['PatternDetectionError', 'IndicatorCalculationError', 'DatabaseError',
        'ConnectionTimeout', 'ValidationError', 'SlowQueryWarning', 'ConfigurationError', 'RuntimeError',
        'InsufficientDataError', 'DeadlockDetected', 'HTTPError', 'SchemaMismatch'])[1 + floor(r.ty ^ 2 * 12)::int] AS name) AS t0
CROSS JOIN LATERAL (SELECT t0.name, CASE t0.name
        WHEN 'PatternDetectionError' THEN 'pattern' WHEN 'InsufficientDataError' THEN 'pattern'
        WHEN 'IndicatorCalculationError' THEN 'indicator' WHEN 'DatabaseError' THEN 'database'
        WHEN 'DeadlockDetected' THEN 'database' WHEN 'ConnectionTimeout' THEN 'network' WHEN 'HTTPError' THEN 'network'
        WHEN 'ValidationError' THEN 'validation' WHEN 'SchemaMismatch' THEN 'validation'
        WHEN 'SlowQueryWarning' THEN 'performance' WHEN 'ConfigurationError' THEN 'configuration'
        ELSE 'unknown' END AS category) AS t
CROSS JOIN LATERAL (SELECT (ARRAY['PatternDetector', 'IndicatorEngine', 'PriceLoader', 'VolumeLoader', 'Backfill',
        'Scheduler', 'FeedClient', 'QuoteCache', 'Normalizer', 'Exporter', 'SignalWriter', 'RiskModel', 'Screener',
        'Alerter', 'ReportBuilder', 'Splitter', 'Reconciler', 'Archiver', 'Notifier', 'Validator'])[1 + floor(r.co ^ 2 * 20)::int] AS name) AS c
CROSS JOIN LATERAL (SELECT (ARRAY['run', 'detect', 'load', 'save', 'fetch'])[1 + floor(r.op * 5)::int] AS name) AS o
CROSS JOIN LATERAL (SELECT CASE WHEN r.sy < 0.2 THEN NULL ELSE 'SYM' || floor(r.sy ^ 2 * 100)::int END AS symbol) AS s
CROSS JOIN LATERAL (SELECT (ARRAY['1m', '5m', '1h', 'daily'])[1 + floor(r.tf * 4)::int] AS timeframe) AS tf
CROSS JOIN LATERAL (SELECT now() - r.at * interval '24 hours' AS at) AS ts;

DO $$ DECLARE i record; BEGIN
    -- a partitioned table's index reads back as ON ONLY (the parent alone); built here on every day's partition
    FOR i IN SELECT indexdef FROM saved_indexes LOOP EXECUTE replace(i.indexdef, ' ON ONLY ', ' ON '); END LOOP;
END $$;

-- groups as the monitor's upserts leave them: count, first and last seen, the latest error's id and severity
INSERT INTO monitor.error_groups (fingerprint, error_type, component, operation, message_pattern, severity,
    category, count, first_seen, last_seen, last_error_id, last_occurred)
SELECT DISTINCT ON (fingerprint) fingerprint, error_type, component, operation,
       regexp_replace(error_message, '[0-9]+', '<n>', 'g'), severity, category,
       count(*) OVER w, min(received_at) OVER w, max(received_at) OVER w, error_id, max(occurred_at) OVER w
FROM monitor.error_logs
WINDOW w AS (PARTITION BY fingerprint)
ORDER BY fingerprint, received_at DESC;
-- and a workflow's worth of states: a third resolved, a tenth ignored
UPDATE monitor.error_groups SET state = CASE WHEN ('x' || left(fingerprint, 4))::bit(16)::int % 10 < 3 THEN 'resolved'
        WHEN ('x' || left(fingerprint, 4))::bit(16)::int % 10 = 3 THEN 'ignored' ELSE 'unresolved' END,
    resolved_at = last_seen + interval '1 second', state_changed_at = last_seen;

-- per-minute counts of everything received: the stored errors, plus warnings and info not stored
INSERT INTO monitor.error_counts (bucket, severity, category, count)
SELECT date_trunc('minute', received_at), severity, category, count(*)
FROM monitor.error_logs GROUP BY 1, 2, 3;
INSERT INTO monitor.error_counts (bucket, severity, category, count)
SELECT bucket, v.severity, category, greatest(1, round(sum(count) * v.factor))::bigint
FROM monitor.error_counts, (VALUES ('warning', 1.5), ('info', 0.5)) AS v(severity, factor)
GROUP BY bucket, v.severity, category, v.factor;
-- and per UTC hour, as the writer adds them
INSERT INTO monitor.error_counts_hourly (hour, severity, category, count)
SELECT date_trunc('hour', bucket, 'UTC'), severity, category, sum(count)
FROM monitor.error_counts GROUP BY 1, 2, 3;

COMMIT;

VACUUM ANALYZE monitor.error_logs;
VACUUM ANALYZE monitor.error_groups;
VACUUM ANALYZE monitor.error_counts;
VACUUM ANALYZE monitor.error_counts_hourly;
