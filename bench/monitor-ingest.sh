#!/usr/bin/env bash
# Benchmark of the monitor's ingest (not a test): publishes N error events at RATE/s on the errors
# channel and reports persisted events/s and publish-to-row latency p50/p99 (stored_at - event timestamp).
#
#   bench/monitor-ingest.sh [-n N] [-r RATE] [--start] [--json FILE] [--durable]
#
# --durable publishes the way the shared publisher (the runner) does: XADD to <channel>:stream, then PUBLISH,
# and marks the pub/sub copy durable, so a monitor consuming the stream stores it from there only; without it, PUBLISH only
# (redis-cli and foreign producers).
# Without --start it measures a monitor that is already running and subscribed to $CHANNEL.
# With --start it runs monitor-service/target/quarkus-app/quarkus-run.jar (build it first:
# ./mvnw -pl monitor-service package -DskipTests) on port $BENCH_HTTP_PORT with its own channels and
# its own database (monitoring_bench, created when missing), so a monitor already running on this
# machine sees none of the benchmark's events, counts or alerts; it is stopped afterwards.
# A warm-up of $WARMUP events (default 5000, same rate) runs first so a fresh JVM's JIT is not measured.
# --json FILE also writes the figures as one JSON object (bench/run-all.sh reads it).
# Env: WARMUP REDIS_HOST REDIS_PORT PG_HOST PG_PORT PG_DATABASE PG_USER CHANNEL BENCH_HTTP_PORT KEEP_ROWS=1 JAVA_OPTS
#      LOG_CONSOLE_FILTER (default: the monitor's, not-received-errors; all: every received error on the console too)
set -euo pipefail
cd "$(dirname "$0")/.."

N=20000
RATE=5000
START=0
JSON_OUT=""
DURABLE_FLAG=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) N="$2"; shift 2 ;;
    -r) RATE="$2"; shift 2 ;;
    --start) START=1; shift ;;
    --json) JSON_OUT="$2"; shift 2 ;;
    --durable) DURABLE_FLAG=--durable; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
if [ "$START" = 1 ]; then PG_DATABASE=${PG_DATABASE:-monitoring_bench}; else PG_DATABASE=${PG_DATABASE:-monitoring}; fi
PG_USER=${PG_USER:-postgres}
BENCH_HTTP_PORT=${BENCH_HTTP_PORT:-18081}
if [ "$START" = 1 ]; then CHANNEL=${CHANNEL:-bench.monitor.errors}; else CHANNEL=${CHANNEL:-errors}; fi
PREFIX="bench-$(date +%s)-$$"
psql_q() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" -At -c "$1"; }

MONITOR_PID=""
cleanup() {
  if [ -n "$MONITOR_PID" ]; then kill "$MONITOR_PID" 2>/dev/null || true; wait "$MONITOR_PID" 2>/dev/null || true; fi
  if [ "${KEEP_ROWS:-0}" != 1 ]; then
    psql_q "DELETE FROM monitor.error_logs WHERE error_id LIKE '${PREFIX}-%'; DELETE FROM monitor.error_ids WHERE error_id LIKE '${PREFIX}-%'; DELETE FROM monitor.error_groups WHERE error_type = 'BenchError';" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [ "$START" = 1 ]; then
  JAR=monitor-service/target/quarkus-app/quarkus-run.jar
  [ -f "$JAR" ] || { echo "build first: ./mvnw -pl monitor-service package -DskipTests" >&2; exit 1; }
  mkdir -p target
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1 \
    || createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_DATABASE"
  # the consumer group starts at the beginning of the stream: leave no earlier run's entries to replay
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" DEL "$CHANNEL:stream" bench.monitor.executions:stream >/dev/null
  QUARKUS_HTTP_PORT=$BENCH_HTTP_PORT QUARKUS_MANAGEMENT_PORT=$((BENCH_HTTP_PORT + 1000)) CHANNEL_ERRORS=$CHANNEL CHANNEL_EXECUTIONS=bench.monitor.executions \
    CHANNEL_ALERTS=bench.monitor.alerts REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT" PG_HOST=$PG_HOST PG_PORT=$PG_PORT \
    PG_DATABASE=$PG_DATABASE PG_USER=$PG_USER LOG_CONSOLE_FILTER="${LOG_CONSOLE_FILTER:-not-received-errors}" \
    java ${JAVA_OPTS:--Xmx256m} -jar "$JAR" > target/bench-monitor.log 2>&1 &
  MONITOR_PID=$!
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$((BENCH_HTTP_PORT + 1000))/q/health/ready" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$((BENCH_HTTP_PORT + 1000))/q/health/ready" >/dev/null || { echo "monitor not ready, see target/bench-monitor.log" >&2; exit 1; }
fi

wait_stored() { # prefix count -> sets $stored
  local deadline=$(( $(date +%s) + 60 + $2 / ${RATE%.*} ))
  stored=0
  while [ "$(date +%s)" -lt "$deadline" ]; do
    stored=$(psql_q "SELECT count(*) FROM monitor.error_logs WHERE error_id ~ '^$1-[0-9]+$'")
    [ "$stored" -ge "$2" ] && return 0
    sleep 0.5
  done
}

WARMUP=${WARMUP:-5000}
if [ "$WARMUP" -gt 0 ]; then
  echo "warm-up: $WARMUP events"
  python3 bench/monitor-ingest.py --n "$WARMUP" --rate "$RATE" --host "$REDIS_HOST" --port "$REDIS_PORT" \
    --channel "$CHANNEL" --prefix "$PREFIX-warmup" $DURABLE_FLAG >/dev/null
  wait_stored "$PREFIX-warmup" "$WARMUP"
fi

echo "publishing $N events at $RATE/s on '$CHANNEL' (redis $REDIS_HOST:$REDIS_PORT), ids $PREFIX-*"
PUBLISHED=$(python3 bench/monitor-ingest.py --n "$N" --rate "$RATE" --host "$REDIS_HOST" --port "$REDIS_PORT" \
  --channel "$CHANNEL" --prefix "$PREFIX" $DURABLE_FLAG)
echo "$PUBLISHED"

wait_stored "$PREFIX" "$N" || true

# stored | persisted events/s | p50 | p99 | max (ms)
IFS='|' read -r S_COUNT S_RATE S_P50 S_P99 S_MAX < <(psql_q "
SELECT count(*),
       round((count(*) / greatest(extract(epoch FROM max(stored_at) - min(occurred_at)), 0.001))::numeric, 1),
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - occurred_at)) * 1000)::numeric, 1),
       round((percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - occurred_at)) * 1000)::numeric, 1),
       round((max(extract(epoch FROM stored_at - occurred_at)) * 1000)::numeric, 1)
FROM monitor.error_logs WHERE error_id ~ '^${PREFIX}-[0-9]+$'")
echo "stored:              $S_COUNT of $N"
echo "persisted events/s:  $S_RATE"
echo "latency p50 (ms):    $S_P50"
echo "latency p99 (ms):    $S_P99"
echo "latency max (ms):    $S_MAX"
if [ -n "$JSON_OUT" ]; then
  python3 - "$JSON_OUT" "$PUBLISHED" "$N" "$RATE" "$S_COUNT" "$S_RATE" "$S_P50" "$S_P99" "$S_MAX" <<'PY'
import json, sys
out, published, n, rate, stored, persisted, p50, p99, mx = sys.argv[1:]
num = lambda s: float(s) if s else None
result = {"n": int(n), "rate": float(rate), **json.loads(published), "stored": int(stored or 0),
          "persisted_rate": num(persisted), "p50_ms": num(p50), "p99_ms": num(p99), "max_ms": num(mx)}
with open(out, "w") as f:
    json.dump(result, f)
PY
fi
[ "$stored" -ge "$N" ] || { echo "only $stored of $N events stored before the deadline" >&2; exit 1; }
