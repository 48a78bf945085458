#!/usr/bin/env bash
# Retention at scale: what it costs to age out one day of errors, as the monitor did before migration V12 (batched
# DELETE of 5,000 rows a statement, then the VACUUM that reclaims them) and as it does now (DROP of the day's
# partition, and batched DELETE of the day's error_id claims, a narrow table). Both tables get the same ROWS rows
# and the same indexes, in a DEDICATED database made from the monitor's own migrations; nothing else is touched.
# Also timed: V12 itself, moving those rows into their day's partition.
#   bench/retention.sh                 # ROWS=1000000 by default
#   ROWS=200000 bench/retention.sh
#   RESULT_FILE=f.json: the figures also as one JSON line (bench/run-all.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000}
DB=${RETENTION_DB:-monitoring_bench_retention}
PG=(psql -h "${PG_HOST:-127.0.0.1}" -p "${PG_PORT:-5432}" -U "${PG_USER:-postgres}" -v ON_ERROR_STOP=1 -q)

"${PG[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1
"${PG[@]}" -d "$DB" -c "CREATE SCHEMA monitor"
MIGRATIONS=$(ls monitor-service/src/main/resources/db/migration/V*.sql | sort -t V -k2 -n)
for m in $MIGRATIONS; do
    [[ "$m" == */V12__* ]] && break
    "${PG[@]}" -d "$DB" -f "$m" >/dev/null
done
ms() { date +%s%3N; }

# one day long past, in error_logs as it was before V12; then V12 moves it into its day partition
echo "filling error_logs (before V12) with $ROWS rows of one day ..."
"${PG[@]}" -d "$DB" -c "
    INSERT INTO monitor.error_logs (error_id, error_type, error_message, error_traceback, severity, category, component,
                                    operation, symbol, timeframe, context, fingerprint, occurred_at, received_at)
    SELECT 'r-' || g, 'TimeoutError', 'fetch failed for SYM' || (g % 100) || ' after ' || (g % 5000) || ' ms',
           E'Traceback (most recent call last):\n  File \"fetch.py\", line ' || (g % 400) || E', in run\nTimeoutError',
           'error', 'network', 'fetcher', 'fetch', 'SYM' || (g % 100), '1h',
           jsonb_build_object('attempt', g % 3, 'host', 'worker-' || (g % 8)), 'fp-' || (g % 1000),
           timestamptz '2020-01-01 00:00+00' + (g % 86400) * interval '1 second',
           timestamptz '2020-01-01 00:00+00' + (g % 86400) * interval '1 second'
    FROM generate_series(1, $ROWS) g"
"${PG[@]}" -d "$DB" -c "VACUUM ANALYZE monitor.error_logs"
t=$(ms)
"${PG[@]}" -d "$DB" -f monitor-service/src/main/resources/db/migration/V12__error_logs_by_day.sql >/dev/null
migration_ms=$(( $(ms) - t ))

# the same rows in a plain table with the same columns and indexes, as error_logs was before V12
"${PG[@]}" -d "$DB" -c "CREATE TABLE monitor.flat_error_logs (LIKE monitor.error_logs INCLUDING DEFAULTS INCLUDING INDEXES)" \
    -c "INSERT INTO monitor.flat_error_logs SELECT * FROM monitor.error_logs" \
    -c "VACUUM ANALYZE monitor.flat_error_logs" -c "VACUUM ANALYZE monitor.error_logs_p20200101"

# batches of 5,000 rows, each its own statement and transaction, on one connection (as RetentionJob does)
batched_delete() {
    "${PG[@]}" -d "$DB" -At -c "DO \$\$ DECLARE n bigint; total bigint := 0; BEGIN
        LOOP
            DELETE FROM monitor.$1 WHERE ctid IN (SELECT ctid FROM monitor.$1 WHERE received_at < '2020-01-02 00:00+00' LIMIT 5000);
            GET DIAGNOSTICS n = ROW_COUNT;
            total := total + n;
            COMMIT;
            EXIT WHEN n < 5000;
        END LOOP;
        RAISE NOTICE 'deleted %', total;
    END \$\$" 2>&1 | sed -n 's/.*deleted \([0-9]*\).*/\1/p'
}
t0=$(ms)
deleted=$(batched_delete flat_error_logs)
t1=$(ms)
"${PG[@]}" -d "$DB" -c "VACUUM monitor.flat_error_logs"
t2=$(ms)
"${PG[@]}" -d "$DB" -c "DROP TABLE monitor.error_logs_p20200101"
t3=$(ms)
# the day's error_id claims (error_ids, V12) still go row by row, as RetentionJob deletes them
claims=$(batched_delete error_ids)
t4=$(ms)
"${PG[@]}" -d "$DB" -c "VACUUM monitor.error_ids"
t5=$(ms)

echo
echo "| aging out one day of $ROWS errors | time |"
echo "|---|---|"
echo "| batched DELETE, 5,000 rows a statement ($deleted rows, before V12) | $(( (t1 - t0) )) ms |"
echo "| then VACUUM of that table | $(( (t2 - t1) )) ms |"
echo "| (migration V12 moving these rows into day partitions, once) | $migration_ms ms |"
echo "| DROP of the day's partition (now) | $(( (t3 - t2) )) ms |"
echo "| and batched DELETE of the day's $claims error_id claims (now) | $(( (t4 - t3) )) ms |"
echo "| then VACUUM of error_ids | $(( (t5 - t4) )) ms |"
if [ -n "${RESULT_FILE:-}" ]; then
    echo "{\"rows\": $ROWS, \"delete_ms\": $((t1 - t0)), \"vacuum_ms\": $((t2 - t1)), \"drop_ms\": $((t3 - t2)), \"claims_ms\": $((t4 - t3)), \"claims_vacuum_ms\": $((t5 - t4)), \"migration_ms\": $migration_ms}" > "$RESULT_FILE"
fi
"${PG[@]}" -d postgres -c "DROP DATABASE $DB"
