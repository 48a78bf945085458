#!/usr/bin/env bash
# Runs every test (unit and integration) against the local Redis and PostgreSQL.
# Integration tests use their own databases (monitoring_test_<module>), channels (test.<module>.*)
# and random HTTP ports, so a running instance of the system is not disturbed.
#
# The modules' tests mostly wait (for a restart, a timeout, a browser), so after one build they run in two
# lanes at once, each lane's lines prefixed with its name and kept in target/test-lanes/<lane>.log:
#   monitor   monitor-service, then system-tests but for SYSTEM_TESTS_OF_SERVICES_LANE and SYSTEM_TESTS_ALONE
#   services  shared-model, runner-service, api-gateway, then SYSTEM_TESTS_OF_SERVICES_LANE
# and once both are done, SYSTEM_TESTS_ALONE (lane "alone").
# Each module keeps its own database, channels and redis-servers, so the lanes do not meet. The classes of a module
# share theirs, so a module is split only where a class has its own (SYSTEM_TESTS_OF_SERVICES_LANE).
#
#   ./scripts/test.sh                    everything, in two lanes
#   TEST_LANES=1 ./scripts/test.sh       everything, one module after the other (./mvnw -B verify)
#   ./scripts/test.sh -pl shared-model   extra arguments: ./mvnw -B verify with them, one module after the other
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_java
ensure_postgres
ensure_redis
for db in monitoring_test_monitor monitoring_test_runner monitoring_test_gateway monitoring_test_system; do
    ensure_database "$db"
done
ensure_chromium

if (($# > 0)) || [[ "${TEST_LANES:-2}" == 1 ]]; then
    say "running: ./mvnw -B verify $*"
    exec ./mvnw -B verify "$@"
fi

# System tests with their own database and Redis, which can run beside the other system tests (any other system test
# runs in the monitor lane, so a new one is never left out)
SYSTEM_TESTS_OF_SERVICES_LANE="LeastPrivilegeTest,KubernetesManifestsTest"
# System tests that measure latency against a bound an issue sets (the hostile suite's publish-to-row p99 under 2 s):
# they run once both lanes are done, alone on the machine. Beside the other lane the load average reached 10 on 2 cores
# and the monitor waited for a CPU longer than the test ran (p99 6.9 s, its plain-errors baseline already 1 s).
SYSTEM_TESTS_ALONE="HostileSuiteTest"

# The modules of each lane (system-tests is split between them by SYSTEM_TESTS_OF_SERVICES_LANE). A module added to
# the reactor but to neither lane stops the run here rather than being skipped without a word (test-support holds
# only helpers).
MONITOR_LANE_MODULES="monitor-service"
SERVICES_LANE_MODULES="shared-model,runner-service,api-gateway"
for module in $(sed -n 's|.*<module>\(.*\)</module>.*|\1|p' pom.xml); do
    case ",test-support,system-tests,$MONITOR_LANE_MODULES,$SERVICES_LANE_MODULES," in
        *",$module,"*) ;;
        *) die "module $module is in neither test lane: add it to MONITOR_LANE_MODULES or SERVICES_LANE_MODULES in scripts/test.sh" ;;
    esac
done

started=$SECONDS
say "building every module and its tests, without running them: ./mvnw -B -T 2 install -DskipTests"
./mvnw -B -q -T 2 install -DskipTests
say "built in $((SECONDS - started)) s"

lanes=target/test-lanes
rm -rf "$lanes" && mkdir -p "$lanes"

lane_monitor() {
    ./mvnw -B surefire:test -pl "$MONITOR_LANE_MODULES" &&
        ./mvnw -B surefire:test -pl system-tests -Dtest="!${SYSTEM_TESTS_OF_SERVICES_LANE//,/,!},!${SYSTEM_TESTS_ALONE//,/,!}"
}

lane_services() {
    ./mvnw -B surefire:test -pl "$SERVICES_LANE_MODULES" &&
        ./mvnw -B surefire:test -pl system-tests -Dtest="$SYSTEM_TESTS_OF_SERVICES_LANE"
}

lane_alone() {
    ./mvnw -B surefire:test -pl system-tests -Dtest="$SYSTEM_TESTS_ALONE"
}

# Runs one lane in the background: its output prefixed on the terminal and kept whole in its log; its exit code
# in <lane>.rc, its duration in <lane>.seconds.
start_lane() {
    local name="$1"
    (
        set +e
        local from=$SECONDS
        "lane_$name" 2>&1 | tee "$lanes/$name.log" | sed -u "s/^/[$name] /"
        echo "${PIPESTATUS[0]}" > "$lanes/$name.rc"
        echo $((SECONDS - from)) > "$lanes/$name.seconds"
    ) &
    lane_pids+=($!)
}

# Ctrl-C or a CI timeout stops both lanes and what they started (Maven, the test JVMs, whose shutdown hooks stop the
# services they launched), not only this script
kill_tree() {
    local child
    for child in $(pgrep -P "$1"); do
        kill_tree "$child"
    done
    kill -TERM "$1" 2>/dev/null || true
}
lane_pids=()
trap 'trap - INT TERM; for pid in "${lane_pids[@]}"; do kill_tree "$pid"; done; exit 130' INT TERM
say "two lanes at once: monitor ($MONITOR_LANE_MODULES, system-tests) and services ($SERVICES_LANE_MODULES, $SYSTEM_TESTS_OF_SERVICES_LANE)"
start_lane monitor
start_lane services
wait
say "then alone: $SYSTEM_TESTS_ALONE"
start_lane alone
wait

failed=0
for name in monitor services alone; do
    rc="$(cat "$lanes/$name.rc" 2>/dev/null || echo 1)"
    totals="$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' \
        "$lanes/$name.log" | sed -E 's/^\[[A-Z]+\] //' | paste -sd ';' -)"
    if [[ "$rc" == 0 ]]; then
        say "lane $name passed in $(cat "$lanes/$name.seconds") s ($totals)"
    else
        failed=1
        warn "lane $name FAILED after $(cat "$lanes/$name.seconds" 2>/dev/null || echo '?') s ($totals); its failures:"
        grep -E '^\[ERROR\]' "$lanes/$name.log" | head -60 >&2 || true
    fi
done
say "all tests: $((SECONDS - started)) s with the build"
exit "$failed"
