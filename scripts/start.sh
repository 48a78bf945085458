#!/usr/bin/env bash
# Builds and starts monitor-service, runner-service and api-gateway against the local Redis and
# PostgreSQL, waits until all three are ready, prints where to look, and stops them on Ctrl-C.
#
# Environment (all optional): GATEWAY_PORT (8080), MONITOR_PORT (8081), RUNNER_PORT (8082); each service's
# management interface (/q/health, /q/metrics) listens on its port + 1000 (9080, 9081, 9082);
# READY_TIMEOUT (90 s), SKIP_BUILD=1 (reuse the jars of a previous build), JAVA_OPTS (default: a heap of 256 MiB
# per service, DEFAULT_JAVA_OPTS in scripts/lib.sh; the JVM's own default is a quarter of the RAM), and the
# variables the services read: REDIS_URL, PG_HOST, PG_PORT, PG_DATABASE, PG_USER, PG_PASSWORD,
# CHANNEL_ERRORS, CHANNEL_EXECUTIONS, CHANNEL_ALERTS, GATEWAY_ADMIN_PASSWORD, GATEWAY_VIEWER_PASSWORD.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

GATEWAY_PORT="${GATEWAY_PORT:-8080}"
MONITOR_PORT="${MONITOR_PORT:-8081}"
RUNNER_PORT="${RUNNER_PORT:-8082}"
READY_TIMEOUT="${READY_TIMEOUT:-90}"
RUN_DIR=.run
# The gateway reaches the other two through these; keep them in step with the ports above.
export MONITOR_URL="${MONITOR_URL:-http://localhost:$MONITOR_PORT}"
export RUNNER_URL="${RUNNER_URL:-http://localhost:$RUNNER_PORT}"
export MONITOR_MANAGEMENT_URL="${MONITOR_MANAGEMENT_URL:-http://localhost:$((MONITOR_PORT + 1000))}"
export RUNNER_MANAGEMENT_URL="${RUNNER_MANAGEMENT_URL:-http://localhost:$((RUNNER_PORT + 1000))}"
export REDIS_URL PG_HOST PG_PORT PG_USER

# The gateway's production profile has no default passwords. For local runs generate them once and
# keep them in .run/ (gitignored), so a browser's saved login keeps working across restarts.
PASSWORDS_FILE="$RUN_DIR/gateway-passwords.env"
load_gateway_passwords() {
    local admin="${GATEWAY_ADMIN_PASSWORD:-}" viewer="${GATEWAY_VIEWER_PASSWORD:-}"
    if [[ -n "$admin" && -n "$viewer" ]]; then
        PASSWORD_SOURCE="your environment"
    else
        if [[ ! -f "$PASSWORDS_FILE" ]]; then
            mkdir -p "$RUN_DIR"
            (
                umask 077
                printf 'GATEWAY_ADMIN_PASSWORD=%s\nGATEWAY_VIEWER_PASSWORD=%s\n' \
                    "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
                    "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$PASSWORDS_FILE"
            )
        fi
        # shellcheck disable=SC1090
        source "$PASSWORDS_FILE"
        # A password set in the environment wins over the generated one.
        GATEWAY_ADMIN_PASSWORD="${admin:-$GATEWAY_ADMIN_PASSWORD}"
        GATEWAY_VIEWER_PASSWORD="${viewer:-$GATEWAY_VIEWER_PASSWORD}"
        PASSWORD_SOURCE="$PASSWORDS_FILE (generated once for local runs; set GATEWAY_ADMIN_PASSWORD / GATEWAY_VIEWER_PASSWORD to choose your own)"
    fi
    export GATEWAY_ADMIN_PASSWORD GATEWAY_VIEWER_PASSWORD
    # Show only what this script generated; a password the user chose stays off the screen.
    ADMIN_SHOWN="$GATEWAY_ADMIN_PASSWORD"
    VIEWER_SHOWN="$GATEWAY_VIEWER_PASSWORD"
    [[ -n "$admin" ]] && ADMIN_SHOWN='$GATEWAY_ADMIN_PASSWORD'
    [[ -n "$viewer" ]] && VIEWER_SHOWN='$GATEWAY_VIEWER_PASSWORD'
    return 0
}

SERVICES=(monitor-service runner-service api-gateway)
declare -A PORT=([monitor-service]=$MONITOR_PORT [runner-service]=$RUNNER_PORT [api-gateway]=$GATEWAY_PORT)
declare -A PID=()

port_in_use() {
    (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

stop_all() {
    trap - INT TERM EXIT
    local svc pids=()
    for svc in "${SERVICES[@]}"; do
        if [[ -n "${PID[$svc]:-}" ]] && kill -0 "${PID[$svc]}" 2>/dev/null; then
            kill -TERM "${PID[$svc]}" 2>/dev/null || true
            pids+=("${PID[$svc]}")
        fi
    done
    ((${#pids[@]} > 0)) || return 0
    say "stopping ${#pids[@]} service(s) ..."
    local deadline=$((SECONDS + 15)) pid
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    say "stopped"
}

show_log_tail() {
    say "last lines of $RUN_DIR/$1.log:"
    tail -n 25 "$RUN_DIR/$1.log" 2>/dev/null | sed 's/^/    /' >&2 || true
}

# the management interface: the service's port + 1000
management_port() {
    echo $((${PORT[$1]} + 1000))
}

ready() {
    curl -fs -m 2 -o /dev/null "http://127.0.0.1:$(management_port "$1")/q/health/ready"
}

require_java
command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install curl)"
ensure_postgres
ensure_redis
ensure_database "${PG_DATABASE:-monitoring}"
load_gateway_passwords

for svc in "${SERVICES[@]}"; do
    for port in "${PORT[$svc]}" "$(management_port "$svc")"; do
        if port_in_use "$port"; then
            die "port $port ($svc) is already in use: is another instance running? Stop it, or choose another port (GATEWAY_PORT, MONITOR_PORT, RUNNER_PORT; the management port is each + 1000)"
        fi
    done
done

if [[ "${SKIP_BUILD:-}" == 1 ]]; then
    say "SKIP_BUILD=1: using the jars of the previous build"
else
    say "building: ./mvnw -B -q package -DskipTests"
    build_started=$SECONDS
    ./mvnw -B -q package -DskipTests || die "the build failed (see the Maven output above)"
    say "built in $((SECONDS - build_started)) s"
fi
for svc in "${SERVICES[@]}"; do
    [[ -f "$svc/target/quarkus-app/quarkus-run.jar" ]] || die "$svc/target/quarkus-app/quarkus-run.jar is missing: the build did not produce it"
done

mkdir -p "$RUN_DIR"
trap 'echo; stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

started=$SECONDS
for svc in "${SERVICES[@]}"; do
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    java ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -Dquarkus.http.port="${PORT[$svc]}" -Dquarkus.management.port="$(management_port "$svc")" -jar "$svc/target/quarkus-app/quarkus-run.jar" \
        >"$RUN_DIR/$svc.log" 2>&1 </dev/null &
    PID[$svc]=$!
    say "started $svc (pid ${PID[$svc]}, port ${PORT[$svc]}, log $RUN_DIR/$svc.log)"
done

say "waiting up to ${READY_TIMEOUT} s for /q/health/ready of each service ..."
declare -A READY=()
while ((${#READY[@]} < ${#SERVICES[@]})); do
    for svc in "${SERVICES[@]}"; do
        [[ -n "${READY[$svc]:-}" ]] && continue
        if ! kill -0 "${PID[$svc]}" 2>/dev/null; then
            wait "${PID[$svc]}" && code=0 || code=$?
            warn "$svc exited during startup (exit code $code)"
            show_log_tail "$svc"
            exit 1
        fi
        if ready "$svc"; then
            READY[$svc]=1
            say "$svc is ready on port ${PORT[$svc]} ($((SECONDS - started)) s)"
        fi
    done
    if ((${#READY[@]} < ${#SERVICES[@]})); then
        if ((SECONDS - started >= READY_TIMEOUT)); then
            for svc in "${SERVICES[@]}"; do
                [[ -n "${READY[$svc]:-}" ]] && continue
                warn "$svc is not ready after ${READY_TIMEOUT} s; its /q/health/ready says:"
                curl -sS -m 2 "http://127.0.0.1:$(management_port "$svc")/q/health/ready" >&2 || true
                echo >&2
                show_log_tail "$svc"
            done
            exit 1
        fi
        sleep 1
    fi
done

cat <<INFO

[monitoring] all three services are ready after $((SECONDS - started)) s

  Dashboard     http://localhost:$GATEWAY_PORT/
  REST API      http://localhost:$GATEWAY_PORT/api/...   OpenAPI http://localhost:$GATEWAY_PORT/q/openapi   Swagger UI http://localhost:$GATEWAY_PORT/q/swagger-ui
  Login         admin  / $ADMIN_SHOWN   (roles admin, viewer)
                viewer / $VIEWER_SHOWN   (role viewer)
                passwords from $PASSWORD_SOURCE
  Health        http://localhost:$GATEWAY_PORT/api/health (whole system, login)
  Probes        http://localhost:$((GATEWAY_PORT + 1000))/q/health/ready  http://localhost:$((MONITOR_PORT + 1000))/q/health/ready  http://localhost:$((RUNNER_PORT + 1000))/q/health/ready   (metrics: /q/metrics on the same ports)
  Logs          $RUN_DIR/monitor-service.log  $RUN_DIR/runner-service.log  $RUN_DIR/api-gateway.log
  Test error    redis-cli PUBLISH ${CHANNEL_ERRORS:-errors} '{"severity":"error","error_message":"hello"}'

Press Ctrl-C to stop all three services.
INFO

# Stop everything as soon as one service dies: a half-running system is worse than none.
while true; do
    for svc in "${SERVICES[@]}"; do
        if ! kill -0 "${PID[$svc]}" 2>/dev/null; then
            wait "${PID[$svc]}" && code=0 || code=$?
            warn "$svc exited (exit code $code); stopping the others"
            show_log_tail "$svc"
            exit 1
        fi
    done
    sleep 1
done
