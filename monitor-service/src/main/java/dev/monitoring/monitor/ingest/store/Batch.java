package dev.monitoring.monitor.ingest.store;

import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.monitor.ingest.ReceivedMessage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** What one drain of the buffer turned into, written in one transaction by {@link BatchStore}. */
public final class Batch {
    public record StoredError(ErrorEvent event, String fingerprint, ReceivedMessage raw) {
    }

    public record Execution(ExecutionEvent event, ReceivedMessage raw) {
    }

    public record Rejection(String channel, String reason, String payload, Instant receivedAt) {
    }

    /** A per-minute bucket of the error_counts table. */
    public record CountKey(Instant bucket, String severity, String category) {
        /** The minute of {@code receivedAt}. */
        public static CountKey of(String severity, String category, Instant receivedAt) {
            return new CountKey(receivedAt.truncatedTo(ChronoUnit.MINUTES), severity, category);
        }
    }

    /** An error below the filter: not stored, counted once per error_id across all monitor replicas. */
    public record Filtered(String errorId, CountKey key) {
    }

    public final List<StoredError> errors = new ArrayList<>();
    public final List<Execution> executions = new ArrayList<>();
    public final List<Rejection> rejections = new ArrayList<>();
    /** Errors below the filter; like stored errors, each is counted only once its error_id is claimed. */
    public final List<Filtered> filtered = new ArrayList<>();

    /** One batch of all the items of several, in their order. */
    public static Batch merge(List<Batch> parts) {
        Batch all = new Batch();
        for (Batch b : parts) {
            all.errors.addAll(b.errors);
            all.executions.addAll(b.executions);
            all.rejections.addAll(b.rejections);
            all.filtered.addAll(b.filtered);
        }
        return all;
    }

    public boolean isEmpty() {
        return errors.isEmpty() && executions.isEmpty() && rejections.isEmpty() && filtered.isEmpty();
    }

    public int size() {
        return errors.size() + executions.size() + rejections.size() + filtered.size();
    }
}
