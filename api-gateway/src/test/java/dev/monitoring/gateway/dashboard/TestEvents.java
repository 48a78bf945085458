package dev.monitoring.gateway.dashboard;

import dev.monitoring.model.Category;
import dev.monitoring.model.ErrorContext;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.Severity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Events as producers publish them, encoded by the shared codec. */
final class TestEvents {

    private static final EventCodec CODEC = new EventCodec();

    private TestEvents() {
    }

    /** A marker unique to one test run, to find "our" rows among everything else on the page. */
    static String marker(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String error(Severity severity, Category category, String message) {
        return error(severity, category, message, "ValueError", "Traceback (most recent call last):\n  File \"scan.py\"");
    }

    static String error(Severity severity, Category category, String message, String type, String traceback) {
        return error(severity, category, message, type, traceback, "AAPL");
    }

    static String error(Severity severity, Category category, String message, String type, String traceback,
                        String symbol) {
        ErrorContext context = new ErrorContext("dashboard-test", "scan", symbol, "1d", Map.of("attempt", 1), null);
        return CODEC.encode(new ErrorEvent(UUID.randomUUID().toString(), type, message, traceback, severity, category,
                context, Instant.now()));
    }

    static String jobFailed(String job, String message) {
        Instant now = Instant.now();
        return CODEC.encode(ExecutionEvent.job(ExecutionEventType.JOB_FAILED, UUID.randomUUID().toString(), job)
                .batchRunId("dashboard-test").startedAt(now.minusSeconds(2)).completedAt(now).durationSeconds(2.0)
                .attempt(1).errorMessage(message).timestamp(now).build());
    }

    static String jobSucceededAt(String job, Instant when) {
        return CODEC.encode(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, UUID.randomUUID().toString(), job)
                .batchRunId("dashboard-test").startedAt(when.minusSeconds(5)).completedAt(when).durationSeconds(5.0)
                .recordsProcessed(10L).attempt(1).timestamp(when).build());
    }
}
