#!/usr/bin/env bash
# Checks (issue 18), benchmarks not tests: they print figures.
#   1. ping to stored: a ping is answered 200 only once its run is committed, so the HTTP latency of /ping/{key}
#      through the gateway IS ping-to-stored; p50 / p99 / max over PINGS pings spread over KEYS keys (so no key
#      reaches its rate limit), from CLIENTS concurrent clients
#   2. the evaluator: CHECKS checks (filled straight into the table, each pinged, a tenth of them late) judged by
#      the monitor as the alert rules judge them (read every check with its open run and last durations, then
#      decide each state): /api/scheduler-health times the same work; median of 5, as checks judged per second
#
#   bench/checks.sh                 (packages the services first when their jars are missing)
# Env: CHECKS (100000) PINGS (3000) KEYS (200) CLIENTS (8) BENCH_PORT_BASE (18180) PG_HOST PG_PORT PG_USER REDIS_URL
# Nothing here touches a running instance: its own ports, database monitoring_bench_checks and channels bench.checks.*.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKS=${CHECKS:-100000} PINGS=${PINGS:-3000} KEYS=${KEYS:-200} CLIENTS=${CLIENTS:-8}
BASE=${BENCH_PORT_BASE:-18180} PG_HOST=${PG_HOST:-127.0.0.1} PG_PORT=${PG_PORT:-5432} PG_USER=${PG_USER:-postgres}
DB=monitoring_bench_checks GATEWAY=$BASE MONITOR=$((BASE + 1))
LOGS=$(mktemp -d) PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

[ -f monitor-service/target/quarkus-app/quarkus-run.jar ] && [ -f api-gateway/target/quarkus-app/quarkus-run.jar ] \
    || ./mvnw -B -q install -DskipTests
psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$1" -X -At -v ON_ERROR_STOP=1 -c "$2"; }
psql_db postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$DB"
psql_db "$DB" "DROP SCHEMA IF EXISTS monitor CASCADE" >/dev/null 2>&1

start() { # name port jar VAR=value...
    local name=$1 port=$2 jar=$3; shift 3
    env "$@" QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$((port + 1000))" HTTP_HOST=127.0.0.1 \
        CHANNEL_ERRORS=bench.checks.errors CHANNEL_EXECUTIONS=bench.checks.executions CHANNEL_ALERTS=bench.checks.alerts \
        CHANNEL_NOTIFICATIONS=bench.checks.notifications java ${JAVA_OPTS:-} -jar "$jar" >"$LOGS/$name.log" 2>&1 </dev/null &
    PIDS+=($!)
    for _ in $(seq 1 600); do
        curl -fs -m 1 -o /dev/null "http://127.0.0.1:$((port + 1000))/q/health/ready" && return 0
        kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -n 20 "$LOGS/$name.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "$name not ready (log $LOGS/$name.log)" >&2; exit 1
}
start monitor "$MONITOR" monitor-service/target/quarkus-app/quarkus-run.jar PG_HOST="$PG_HOST" PG_PORT="$PG_PORT" \
    PG_USER="$PG_USER" PG_DATABASE="$DB" ALERTS_EVALUATE_EVERY=off
start gateway "$GATEWAY" api-gateway/target/quarkus-app/quarkus-run.jar MONITOR_URL="http://127.0.0.1:$MONITOR" \
    MONITOR_MANAGEMENT_URL="http://127.0.0.1:$((MONITOR + 1000))" GATEWAY_ADMIN_PASSWORD=bench-admin GATEWAY_VIEWER_PASSWORD=bench-viewer

python3 bench/checks.py "$GATEWAY" "$MONITOR" "$PINGS" "$KEYS" "$CLIENTS"

# the evaluator: CHECKS checks, every one pinged (a tenth of them late), with three finished runs each
psql_db "$DB" "TRUNCATE monitor.checks, monitor.check_runs" >/dev/null
psql_db "$DB" "
INSERT INTO monitor.checks (name, period_seconds, grace_seconds, ping_key, badge_key, created_at, updated_at, last_ping_at,
    last_finish_at, last_outcome, last_duration_ms, recent_durations_ms)
SELECT 'bench-' || i, 3600, 300, 'pk-' || i, 'bk-' || i, now() - interval '1 day', now(),
       now() - CASE WHEN i % 10 = 0 THEN interval '2 hours' ELSE interval '10 minutes' END,
       now() - CASE WHEN i % 10 = 0 THEN interval '2 hours' ELSE interval '10 minutes' END, 'success', 1000 + i % 500,
       ARRAY[1001, 1002, 1003, 1000 + i % 500]::bigint[]
FROM generate_series(1, $CHECKS) i;
INSERT INTO monitor.check_runs (check_name, started_at, finished_at, outcome, duration_ms, via)
SELECT 'bench-' || i, now() - interval '1 hour', now() - interval '1 hour' + interval '1 second', 'success', 1000 + k, 'http'
FROM generate_series(1, $CHECKS) i, generate_series(1, 3) k;
ANALYZE monitor.checks; ANALYZE monitor.check_runs;" >/dev/null
python3 - "$MONITOR" "$CHECKS" <<'PY'
import json, statistics, sys, time, urllib.request
port, checks = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(6):
    t0 = time.perf_counter()
    body = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/scheduler-health", timeout=120))
    times.append(time.perf_counter() - t0)
assert body["checks"]["total"] == checks, body["checks"]["total"]
late = body["checks"]["by_state"].get("late", 0)
median = statistics.median(times[1:])  # the first warms up
print(f"CHECKS-BENCH evaluator: {checks} checks ({late} late) judged in {median * 1000:.0f} ms (median of 5) = "
      f"{checks / median:,.0f} checks/s")
PY
