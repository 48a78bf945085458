package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.ExecutionEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one drain of the buffer turned into, written in one transaction by {@link BatchStore}. */
final class Batch {
    record StoredError(ErrorEvent event, String fingerprint, ReceivedMessage raw) {
    }

    record Execution(ExecutionEvent event, ReceivedMessage raw) {
    }

    record Rejection(String channel, String reason, String payload, Instant receivedAt) {
    }

    /** A per-minute bucket of the error_counts table. */
    record CountKey(Instant bucket, String severity, String category) {
    }

    final List<StoredError> errors = new ArrayList<>();
    final List<Execution> executions = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();
    /** Counts of errors below the filter; stored errors are counted only once actually inserted. */
    final Map<CountKey, Long> filteredCounts = new HashMap<>();

    boolean isEmpty() {
        return errors.isEmpty() && executions.isEmpty() && rejections.isEmpty() && filteredCounts.isEmpty();
    }

    int size() {
        return errors.size() + executions.size() + rejections.size() + filteredCounts.size();
    }
}
