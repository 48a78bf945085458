#!/usr/bin/env bash
# Every benchmark in one go (benchmarks, not tests: they print figures), then ONE markdown table,
# also saved to bench/results/latest.md (and bench/results/<date>.md; bench/results/ is gitignored).
#
#   bench/run-all.sh [--quick] [options]
#
#   1. ceilings of this machine: redis-benchmark PUBLISH and XADD MAXLEN ~ of a ~600-byte event,
#      PostgreSQL batched INSERT and COPY into a scratch copy of monitor.error_logs (bench/ceilings.py)
#   2. start-up time (process start to /q/health/ready UP) and RSS of monitor-service,
#      runner-service and api-gateway, started one after the other from their packaged jars
#   3. sustained ingest at several rates against that monitor (bench/monitor-ingest.sh), through PUBLISH only and
#      through the durable path (XADD + PUBLISH, as the shared publisher sends): published vs
#      persisted events/s, publish-to-row p50/p99, each also as a percentage of the lowest ceiling;
#      then the RSS of the three services again: right after the runs, the most it reached (VmHWM) and after
#      IDLE_SECONDS (20) without load, when the JVM may have handed back heap a burst grew
#   4. publish-to-WebSocket latency at several rates (bench/gateway-ws.sh, its own gateway)
#   5. query latency of the monitor's /api/errors/* with QUERY_ROWS (1,000,000) stored errors in a
#      database of their own, filled once by bench/query-fill.sql and reused while fresh (< 6 h old)
#   6. retention: one day of RETENTION_ROWS (1,000,000; quick 100,000) errors aged out by batched DELETE
#      (before migration V12) and by DROP of its day partition (bench/retention.sh, database monitoring_bench_retention)
#
# Nothing here touches a running instance: bench ports (BENCH_PORT_BASE, default 18080: +0 gateway,
# +1 monitor, +2 runner, +3 the query monitor), channels bench.all.* and bench.query.*, databases
# monitoring_bench and monitoring_bench_query (created when missing). Every process it starts is
# stopped on exit, Ctrl-C included.
#
# Options:
#   --quick            fewer rates, shorter runs, fewer requests (a few minutes)
#   --rates "A B .."   ingest rates, events/s (default "2000 5000 10000 20000"; quick "5000 20000")
#   --ws-rates "A .."  errors/s of the WebSocket fan-out runs with WS_CLIENTS (100) clients
#                      (default "100 400 1000"; quick "100 1000"); the shipped-limit run is at 1000/s
#   --monitor-alone    the runner and the gateway get channels of their own during the ingest runs,
#                      so the monitor has the machine to itself (default: all three on the same
#                      channels, as deployed: the gateway receives every ingested event too)
#   --refill           fill the query database again even if its rows are reusable
#   --skip-ceilings --skip-ingest --skip-ws --skip-queries --skip-retention
# Env: REDIS_HOST REDIS_PORT PG_HOST PG_PORT PG_USER JAVA_OPTS (default: start.sh's heap cap) BENCH_PORT_BASE
#      QUERY_ROWS WS_CLIENTS RETENTION_ROWS IDLE_SECONDS (20: the idle wait before the last RSS reading)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

QUICK=0 MONITOR_ALONE=0 REFILL=0
SKIP_CEILINGS=0 SKIP_INGEST=0 SKIP_WS=0 SKIP_QUERIES=0 SKIP_RETENTION=0
RATES="" WS_RATES="" OPTIONS_TEXT="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1; shift ;;
        --rates) RATES="$2"; shift 2 ;;
        --ws-rates) WS_RATES="$2"; shift 2 ;;
        --monitor-alone) MONITOR_ALONE=1; shift ;;
        --refill) REFILL=1; shift ;;
        --skip-ceilings) SKIP_CEILINGS=1; shift ;;
        --skip-ingest) SKIP_INGEST=1; shift ;;
        --skip-ws) SKIP_WS=1; shift ;;
        --skip-queries) SKIP_QUERIES=1; shift ;;
        --skip-retention) SKIP_RETENTION=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option $1 (see bench/run-all.sh --help)" >&2; exit 2 ;;
    esac
done

REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
BENCH_DB=monitoring_bench
QUERY_DB=monitoring_bench_query
QUERY_ROWS=${QUERY_ROWS:-1000000}
WS_CLIENTS=${WS_CLIENTS:-100}
IDLE_SECONDS=${IDLE_SECONDS:-20}
BASE=${BENCH_PORT_BASE:-18080}
declare -A PORT=([api-gateway]=$BASE [monitor-service]=$((BASE + 1)) [runner-service]=$((BASE + 2)) [query-monitor]=$((BASE + 3)))
declare -A JAR=([monitor-service]=monitor-service/target/quarkus-app/quarkus-run.jar
                [runner-service]=runner-service/target/quarkus-app/quarkus-run.jar
                [api-gateway]=api-gateway/target/quarkus-app/quarkus-run.jar)
JAR[query-monitor]=${JAR[monitor-service]}

if [ "$QUICK" = 1 ]; then
    RATES=${RATES:-"5000 20000"}; WS_RATES=${WS_RATES:-"100 1000"}; WS_SECONDS=5
    REQUESTS=50; WARMUP_REQUESTS=10; CEILING_REQUESTS=100000; CEILING_ROWS=30000
else
    RATES=${RATES:-"2000 5000 10000 20000"}; WS_RATES=${WS_RATES:-"100 400 1000"}; WS_SECONDS=10
    REQUESTS=200; WARMUP_REQUESTS=20; CEILING_REQUESTS=200000; CEILING_ROWS=100000
fi

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'run-all: %s\n' "$*" >&2; exit 1; }

# --- prerequisites: refuse politely ------------------------------------------------------------
missing=()
for s in monitor-service runner-service api-gateway; do [ -f "${JAR[$s]}" ] || missing+=("${JAR[$s]}"); done
if [ ${#missing[@]} -gt 0 ]; then
    printf 'run-all: the packaged services are missing (%s).\nBuild them first:\n\n    ./mvnw -B -DskipTests package\n\n' \
        "${missing[*]}" >&2
    exit 1
fi
for c in java python3 psql createdb redis-benchmark redis-cli curl; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is not installed; it is needed for these benchmarks"
done
redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" PING 2>/dev/null | grep -q PONG || die "no Redis at $REDIS_HOST:$REDIS_PORT"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc 'SELECT 1' >/dev/null 2>&1 \
    || die "no PostgreSQL at $PG_HOST:$PG_PORT for user $PG_USER"
for p in "${PORT[@]}"; do
    (exec 9<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && die "port $p is in use; choose other bench ports with BENCH_PORT_BASE"
done
if [ "$SKIP_WS" = 0 ] && ! command -v node >/dev/null 2>&1; then
    echo "run-all: node is not installed: the WebSocket benchmark is skipped" >&2
    SKIP_WS=2
fi

# --- bookkeeping -------------------------------------------------------------------------------
OUT_DIR=bench/results
LOGS=$OUT_DIR/logs
mkdir -p "$LOGS"
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
RESULTS=$OUT_DIR/$STAMP.jsonl
: > "$RESULTS"
TMP=$(mktemp -d)
add() { python3 bench/summary.py add "$RESULTS" "$@"; }
note() { add kind=note "text=$*"; }

declare -A PID=()
CHILD=""
stop_service() {
    local name=$1 pid=${PID[$1]:-}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PID[$name]"
}
cleanup() {
    trap - EXIT INT TERM
    if [ -n "$CHILD" ]; then kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
    for name in "${!PID[@]}"; do stop_service "$name"; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo; echo "run-all: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

# Runs a benchmark script in the background and waits, so an interrupt stops it (and what it started).
child() { "$@" & CHILD=$!; local rc=0; wait "$CHILD" || rc=$?; CHILD=""; return $rc; }

psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$1" -X -At -v ON_ERROR_STOP=1 -c "$2"; }
ensure_db() {
    psql_db postgres "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 \
        || createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$1"
}
rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
# the most the process has been resident since it started (the kernel's high-water mark)
rss_peak_mib() { awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# The services run as scripts/start.sh runs them (its default heap cap) unless JAVA_OPTS says otherwise.
SHIPPED_JAVA_OPTS=$(. scripts/lib.sh && echo "$DEFAULT_JAVA_OPTS")
# start_service NAME [VAR=value ...]: starts it on its bench port, waits for readiness, sets STARTUP_S.
start_service() {
    local name=$1; shift
    local port=${PORT[$name]} t0 now
    t0=$(date +%s%N)
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    env "$@" QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$((port + 1000))" HTTP_HOST=127.0.0.1 REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT" \
        PG_HOST="$PG_HOST" PG_PORT="$PG_PORT" PG_USER="$PG_USER" \
        java ${JAVA_OPTS:-$SHIPPED_JAVA_OPTS} -jar "${JAR[$name]}" >"$LOGS/$name.log" 2>&1 </dev/null &
    PID[$name]=$!
    while :; do
        if curl -fs -m 1 -o /dev/null "http://127.0.0.1:$((port + 1000))/q/health/ready"; then break; fi
        kill -0 "${PID[$name]}" 2>/dev/null || { tail -n 20 "$LOGS/$name.log" >&2; die "$name exited during start-up (log: $LOGS/$name.log)"; }
        now=$(date +%s%N)
        [ $(( (now - t0) / 1000000000 )) -lt 120 ] || die "$name not ready after 120 s (log: $LOGS/$name.log)"
        sleep 0.1
    done
    now=$(date +%s%N)
    STARTUP_S=$(python3 -c "print(round(($now - $t0) / 1e9, 2))")
    echo "$name ready on port $port in $STARTUP_S s (pid ${PID[$name]}, log $LOGS/$name.log)" >&2
}

# --- the machine -------------------------------------------------------------------------------
add kind=meta "date=$(date -u '+%Y-%m-%d %H:%M UTC')" "cores=$(nproc)" \
    "memory=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)" \
    "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" \
    "java=$(java -version 2>&1 | head -n 1 | tr -d '"')" \
    "postgres=$(psql_db postgres 'SHOW server_version' | cut -d' ' -f1)" \
    "redis=$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" INFO server | awk -F: '/^redis_version/ {print $2}' | tr -d '\r')" \
    "commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- . ':!bench' 2>/dev/null || echo ' (with local changes)')" \
    "load=$(cut -d' ' -f1-3 /proc/loadavg)" "mode=$([ "$QUICK" = 1 ] && echo --quick)" "options=${OPTIONS_TEXT:-(defaults)}"
ensure_db "$BENCH_DB"

# --- 1. ceilings -------------------------------------------------------------------------------
if [ "$SKIP_CEILINGS" = 0 ]; then
    say "ceilings: redis-benchmark PUBLISH / XADD, PostgreSQL INSERT / COPY ($CEILING_ROWS rows)"
    child python3 bench/ceilings.py --requests "$CEILING_REQUESTS" --rows "$CEILING_ROWS" \
        --redis-host "$REDIS_HOST" --redis-port "$REDIS_PORT" --pg-host "$PG_HOST" --pg-port "$PG_PORT" \
        --pg-user "$PG_USER" --pg-db "$BENCH_DB" > "$TMP/ceilings.jsonl"
    cat "$TMP/ceilings.jsonl"
    cat "$TMP/ceilings.jsonl" >> "$RESULTS"
fi

# --- 2. start-up and memory of the three services ----------------------------------------------
if [ "$SKIP_INGEST" = 0 ]; then
    OTHERS=bench.all
    [ "$MONITOR_ALONE" = 1 ] && OTHERS=bench.others
    # the monitor's consumer group starts at the beginning of its stream: leave no earlier run's entries to replay
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" DEL bench.all.errors:stream bench.all.executions:stream >/dev/null
    say "start-up: monitor-service, runner-service, api-gateway, one after the other"
    declare -A STARTUP=() RSS_START=()
    for name in monitor-service runner-service api-gateway; do
        case $name in
            monitor-service) start_service "$name" PG_DATABASE="$BENCH_DB" CHANNEL_ERRORS=bench.all.errors \
                CHANNEL_EXECUTIONS=bench.all.executions CHANNEL_ALERTS=bench.all.alerts LOG_CONSOLE_FILTER=not-received-errors ;;
            runner-service) start_service "$name" PG_DATABASE="$BENCH_DB" CHANNEL_ERRORS=$OTHERS.errors \
                CHANNEL_EXECUTIONS=$OTHERS.executions CHANNEL_ALERTS=$OTHERS.alerts \
                RUNNER_CRON=off RUNNER_FULL_RUN=false ;;
            api-gateway) start_service "$name" CHANNEL_ERRORS=$OTHERS.errors CHANNEL_EXECUTIONS=$OTHERS.executions \
                CHANNEL_ALERTS=$OTHERS.alerts MONITOR_URL="http://127.0.0.1:${PORT[monitor-service]}" \
                RUNNER_URL="http://127.0.0.1:${PORT[runner-service]}" \
                MONITOR_MANAGEMENT_URL="http://127.0.0.1:$((${PORT[monitor-service]} + 1000))" \
                RUNNER_MANAGEMENT_URL="http://127.0.0.1:$((${PORT[runner-service]} + 1000))" \
                GATEWAY_ADMIN_PASSWORD=bench-admin GATEWAY_VIEWER_PASSWORD=bench-viewer ;;
        esac
        STARTUP[$name]=$STARTUP_S
        sleep 2 # let start-up work (Flyway, first scheduler runs) settle before reading the RSS
        RSS_START[$name]=$(rss_mib "${PID[$name]}")
    done
    curl -fs -u viewer:bench-viewer -o /dev/null "http://127.0.0.1:${PORT[api-gateway]}/api/health" \
        || note "the bench gateway's /api/health did not answer 200"

    # --- 3. sustained ingest -------------------------------------------------------------------
    say "ingest: rates $RATES events/s"
    [ "$MONITOR_ALONE" = 1 ] && ingest_note=" (monitor alone on its channel)" \
        || ingest_note=" (gateway subscribed too)"
    first=1
    for path in pubsub durable; do
    path_flag="" path_note="; PUBLISH only"
    [ "$path" = durable ] && path_flag=--durable path_note="; durable: XADD + PUBLISH, as the shared publisher"
    for rate in $RATES; do
        n=$(( rate * 5 > 20000 ? rate * 5 : 20000 ))
        [ "$QUICK" = 1 ] && n=$(( rate * 2 > 10000 ? rate * 2 : 10000 ))
        warmup=0
        [ "$first" = 1 ] && warmup=5000
        first=0
        say "ingest: $n events at $rate/s (warm-up $warmup)"
        rm -f "$TMP/ingest.json"
        if child env REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" PG_HOST="$PG_HOST" PG_PORT="$PG_PORT" \
            PG_USER="$PG_USER" PG_DATABASE="$BENCH_DB" CHANNEL=bench.all.errors WARMUP=$warmup \
            bench/monitor-ingest.sh -n "$n" -r "$rate" --json "$TMP/ingest.json" $path_flag; then
            add kind=ingest "note=$ingest_note$path_note" --json "$TMP/ingest.json"
        elif [ -f "$TMP/ingest.json" ]; then
            add kind=ingest "note=$ingest_note$path_note; NOT all stored before the deadline" --json "$TMP/ingest.json"
        else
            add kind=ingest "rate=$rate" "n=$n" "error=see the output above"
        fi
        sleep 2
    done
    done
    # RSS right after the last run, the most it reached, and after IDLE_SECONDS without load (what a
    # service keeps between bursts: the JVM may hand back heap it no longer uses)
    declare -A RSS_AFTER=() RSS_PEAK=()
    for name in monitor-service runner-service api-gateway; do
        RSS_AFTER[$name]=$(rss_mib "${PID[$name]}") RSS_PEAK[$name]=$(rss_peak_mib "${PID[$name]}")
    done
    say "memory: waiting $IDLE_SECONDS s without load before reading the RSS again"
    sleep "$IDLE_SECONDS"
    for name in monitor-service runner-service api-gateway; do
        rss_setting="bench channels, database $BENCH_DB"
        [ "$name" = runner-service ] && rss_setting="$rss_setting, schedules off (no run)"
        [ "$name" = api-gateway ] && rss_setting="bench channels, no WebSocket client"
        rss_setting="$rss_setting; ${JAVA_OPTS:-$SHIPPED_JAVA_OPTS}"
        add kind=service "name=$name" "startup_s=${STARTUP[$name]}" "rss_start_mib=${RSS_START[$name]}" \
            "rss_after_mib=${RSS_AFTER[$name]}" "rss_peak_mib=${RSS_PEAK[$name]}" \
            "rss_idle_mib=$(rss_mib "${PID[$name]}")" "idle_s=$IDLE_SECONDS" "rss_setting=$rss_setting"
    done
    for name in api-gateway runner-service monitor-service; do stop_service "$name"; done
fi

# --- 4. publish to WebSocket -------------------------------------------------------------------
if [ "$SKIP_WS" = 0 ]; then
    for rate in $WS_RATES; do
        say "WebSocket fan-out: $WS_CLIENTS clients, $rate errors/s"
        child env SCENARIOS=fan-out RESULT_FILE="$TMP/ws.jsonl" REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" \
            bench/gateway-ws.sh "$rate" "$WS_CLIENTS" "$WS_SECONDS" || add kind=ws scenario=fan-out "error=rate $rate failed"
    done
    say "WebSocket, shipped limit: $WS_CLIENTS clients, 1000 errors/s"
    child env SCENARIOS=default RESULT_FILE="$TMP/ws.jsonl" REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" \
        bench/gateway-ws.sh 1000 "$WS_CLIENTS" "$WS_SECONDS" || add kind=ws scenario=default "error=failed"
    [ -s "$TMP/ws.jsonl" ] && add kind=ws --json-lines "$TMP/ws.jsonl"
elif [ "$SKIP_WS" = 2 ]; then
    note "WebSocket benchmark skipped: node is not installed"
fi

# --- 5. query latency with QUERY_ROWS stored errors --------------------------------------------
if [ "$SKIP_QUERIES" = 0 ]; then
    say "queries: $QUERY_ROWS stored errors in $QUERY_DB"
    ensure_db "$QUERY_DB"
    start_service query-monitor PG_DATABASE="$QUERY_DB" CHANNEL_ERRORS=bench.query.errors \
        CHANNEL_EXECUTIONS=bench.query.executions CHANNEL_ALERTS=bench.query.alerts LOG_CONSOLE_FILTER=not-received-errors
    query_startup=$STARTUP_S query_rss_start=$(rss_mib "${PID[query-monitor]}")
    rows=$(psql_db "$QUERY_DB" "SELECT count(*) FROM monitor.error_logs")
    age=$(psql_db "$QUERY_DB" "SELECT coalesce(extract(epoch FROM now() - max(received_at))::bigint, 0) FROM monitor.error_logs")
    if [ "$REFILL" = 1 ] || [ "$rows" != "$QUERY_ROWS" ] || [ "$age" -gt 21600 ]; then
        say "filling $QUERY_DB with $QUERY_ROWS errors (had $rows rows, newest ${age} s old; takes a minute or two)"
        t0=$(date +%s)
        child psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$QUERY_DB" -X -q -v rows="$QUERY_ROWS" -f bench/query-fill.sql
        note "the query database was filled with $QUERY_ROWS errors in $(( $(date +%s) - t0 )) s"
    else
        echo "reusing the $rows errors in $QUERY_DB (newest ${age} s old; --refill to fill again)" >&2
        note "the query database's $rows errors were reused (newest $(( age / 60 )) min old)"
    fi
    for path in "/api/errors/statistics?hours=24" "/api/errors/recent?limit=50" \
                "/api/errors/recent?limit=50&severity=critical&category=database" \
                "/api/errors/groups?limit=50" "/api/errors/groups?state=unresolved&sort=last_seen&limit=50" \
                "/api/errors/groups?q=timeout&limit=50" "/api/errors/groups?q=SYM12&limit=50" \
                "/api/errors/groups?q=Reconciler&state=ignored&limit=50" \
                "/api/errors/timeline?hours=24&bucket_minutes=60"; do
        if [ "$QUICK" = 1 ] && [[ "$path" != *statistics* && "$path" != "/api/errors/recent?limit=50" ]]; then continue; fi
        say "GET $path"
        if child python3 bench/http-latency.py "http://127.0.0.1:${PORT[query-monitor]}$path" \
            --requests "$REQUESTS" --warmup "$WARMUP_REQUESTS" > "$TMP/query.json"; then
            cat "$TMP/query.json"
            add kind=query "path=$path" "rows=$QUERY_ROWS" "warmup=$WARMUP_REQUESTS" --json "$TMP/query.json"
        else
            add kind=query "path=$path" "error=see the output above"
        fi
    done
    add kind=service name=query-monitor "startup_s=$query_startup" "rss_start_mib=$query_rss_start" \
        "rss_after_mib=$(rss_mib "${PID[query-monitor]}")" "after=the query runs" \
        "rss_setting=its own database of $QUERY_ROWS errors; ${JAVA_OPTS:-$SHIPPED_JAVA_OPTS}"
    stop_service query-monitor
fi

# --- 6. retention: one day aged out, DELETE against DROP ----------------------------------------
if [ "$SKIP_RETENTION" = 0 ]; then
    RETENTION_ROWS=${RETENTION_ROWS:-$([ "$QUICK" = 1 ] && echo 100000 || echo 1000000)}
    say "retention: one day of $RETENTION_ROWS errors, batched DELETE against DROP of its partition"
    if child env ROWS="$RETENTION_ROWS" RESULT_FILE="$TMP/retention.json" PG_HOST="$PG_HOST" PG_PORT="$PG_PORT" \
        PG_USER="$PG_USER" bench/retention.sh; then
        add kind=retention --json "$TMP/retention.json"
    else
        add kind=retention "rows=$RETENTION_ROWS" "error=see the output above"
    fi
fi

# --- the table ---------------------------------------------------------------------------------
python3 bench/summary.py render "$RESULTS" > "$OUT_DIR/$STAMP.md"
cp "$OUT_DIR/$STAMP.md" "$OUT_DIR/latest.md"
echo
cat "$OUT_DIR/latest.md"
echo
echo "saved to $OUT_DIR/latest.md (and $OUT_DIR/$STAMP.md; raw figures $RESULTS; service logs $LOGS/)"
