#!/usr/bin/env bash
# Notification delivery, end to end with two real monitor processes and a real webhook (NotificationSystemTest):
# alert raised (the engine's timestamp) to webhook accepted with group_wait 0s, p50 / p99 / max, and the ledger's
# throughput to one webhook (2,000 notifications). Needs the local Redis and PostgreSQL; builds the monitor first.
#
#   bench/notifications.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -pl shared-model,monitor-service -DskipTests
./mvnw -B -q -pl system-tests verify -Dtest=NotificationSystemTest -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
    | grep '^NOTIFY-BENCH'
