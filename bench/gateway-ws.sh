#!/usr/bin/env bash
# Publish-to-WebSocket latency of the api-gateway: publishes error events to Redis at RATE/s for
# SECONDS while CLIENTS WebSocket clients are connected to /ws/errors, and reports p50/p99.
# Starts its own gateway (packaged jar) on a free loopback port with bench channels, twice:
#   1. "fan-out": the per-client rate limit lifted, every error distinct: the gateway's raw latency;
#   2. "default": the shipped limit (10 frames/s per client), 5 kinds of identical errors folded.
# Usage: bench/gateway-ws.sh [RATE=1000] [CLIENTS=100] [SECONDS=10]
# Env: SCENARIOS="fan-out default" (run only some of them), WARMUP (3 s, not measured), CLIENT_THREADS (2), RESULT_FILE (append one JSON line per
# scenario: the figures, the scenario and the gateway's RSS at the end), REDIS_HOST, REDIS_PORT.
# Needs: java 17, node, a Redis at REDIS_HOST:REDIS_PORT (default 127.0.0.1:6379).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-1000}
CLIENTS=${2:-100}
SECONDS_=${3:-10}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
JAR=api-gateway/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl api-gateway package -DskipTests
[ -d bench/gateway-ws/node_modules/ws ] || (cd bench/gateway-ws && npm install --no-audit --no-fund --silent)

GATEWAY_PID=
# A gateway that ran out of memory may not stop on TERM (one outlived a run): KILL after 10 s.
stop_gateway() {
    if [ -n "$GATEWAY_PID" ]; then
        kill "$GATEWAY_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$GATEWAY_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$GATEWAY_PID" 2>/dev/null || true
        wait "$GATEWAY_PID" 2>/dev/null || true
        GATEWAY_PID=
    fi
}
trap stop_gateway EXIT
trap 'exit 130' INT TERM

run() { # name frames-per-second queue-capacity kinds
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$((port + 1000)) HTTP_HOST=127.0.0.1 REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT" \
        GATEWAY_ADMIN_PASSWORD=bench-admin GATEWAY_VIEWER_PASSWORD=bench-viewer \
        CHANNEL_ERRORS=bench.gateway.errors CHANNEL_ALERTS=bench.gateway.alerts CHANNEL_EXECUTIONS=bench.gateway.executions \
        MONITOR_URL=http://127.0.0.1:9 RUNNER_URL=http://127.0.0.1:9 MONITOR_MANAGEMENT_URL=http://127.0.0.1:9 RUNNER_MANAGEMENT_URL=http://127.0.0.1:9 QUARKUS_LOG_LEVEL=WARN \
        WS_FRAMES_PER_SECOND=$2 WS_QUEUE_CAPACITY=$3 \
        java ${JAVA_OPTS:--Xmx256m} -jar "$JAR" > "api-gateway/target/bench-gateway.log" 2>&1 &
    GATEWAY_PID=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$((port + 1000))/q/health/ready" > /dev/null 2>&1 && break
        sleep 0.2
    done
    echo "== $1: $CLIENTS clients, $RATE errors/s for $SECONDS_ s, frames-per-second=$2 queue=$3"
    local out rss
    out=$(mktemp)
    node bench/gateway-ws/bench.js "$port" viewer bench-viewer "$CLIENTS" "$RATE" "$SECONDS_" "$4" \
        "$REDIS_HOST" "$REDIS_PORT" bench.gateway.errors | tee "$out" | grep -v '^json '
    rss=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$GATEWAY_PID/status" 2>/dev/null || true)
    echo "gateway RSS after the run: ${rss:-?} MiB"
    if [ -n "${RESULT_FILE:-}" ]; then
        sed -n 's/^json {/{"scenario":"'"$1"'","frames_per_second_limit":'"$2"',"gateway_rss_mib":'"${rss:-null}"',/p' "$out" >> "$RESULT_FILE"
    fi
    rm -f "$out"
    stop_gateway
}

for scenario in ${SCENARIOS:-fan-out default}; do
    case "$scenario" in
        fan-out) run fan-out 100000 100000 0 ;;
        default) run default 10 256 5 ;;
        *) echo "unknown scenario $scenario (fan-out, default)" >&2; exit 2 ;;
    esac
done
