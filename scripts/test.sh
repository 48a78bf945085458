#!/usr/bin/env bash
# Runs every test (unit and integration) against the local Redis and PostgreSQL.
# Integration tests use their own databases (monitoring_test_<module>), channels (test.<module>.*)
# and random HTTP ports, so a running instance of the system is not disturbed.
# Extra arguments go to Maven, e.g. ./scripts/test.sh -pl shared-model
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

say "running: ./mvnw -B verify $*"
exec ./mvnw -B verify "$@"
