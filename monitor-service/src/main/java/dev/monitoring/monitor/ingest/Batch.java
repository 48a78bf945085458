package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.ExecutionEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    /** An error below the filter: not stored, counted once per error_id across all monitor replicas. */
    record Filtered(String errorId, CountKey key) {
    }

    final List<StoredError> errors = new ArrayList<>();
    final List<Execution> executions = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();
    /** Errors below the filter; like stored errors, each is counted only once its error_id is claimed. */
    final List<Filtered> filtered = new ArrayList<>();

    boolean isEmpty() {
        return errors.isEmpty() && executions.isEmpty() && rejections.isEmpty() && filtered.isEmpty();
    }

    int size() {
        return errors.size() + executions.size() + rejections.size() + filtered.size();
    }
}
