#!/usr/bin/env bash
# Per-event cost of the monitor's text work (decode, grouping fingerprint, log line, cleaning) for a normal corpus
# next to an adversarial one (generated with a fixed seed: hex runs, quotes, unicode, control characters, 64 KiB
# payloads in every field). Prints p50 / p99 / max per event. No services needed.
#
#   bench/per-event.sh [EVENTS]        (default 20000 per corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl monitor-service test -Dtest=PerEventBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.per-event=true -Dbench.per-event.count="${1:-20000}" 2>&1 | grep '^per-event'
