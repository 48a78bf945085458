package dev.monitoring.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** Events as producers publish them: encoded by the shared codec, or as a producer in another language writes them. */
public final class TestEvents {

    private static final EventCodec CODEC = new EventCodec();

    private TestEvents() {
    }

    /** A marker unique to one test run, to find "our" rows among everything else on the page. */
    public static String marker(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String error(Severity severity, Category category, String message) {
        return error(severity, category, message, "ValueError", "Traceback (most recent call last):\n  File \"scan.py\"");
    }

    public static String error(Severity severity, Category category, String message, String type, String traceback) {
        return error(severity, category, message, type, traceback, "AAPL");
    }

    public static String error(Severity severity, Category category, String message, String type, String traceback,
                               String symbol) {
        ErrorContext context = new ErrorContext("dashboard-test", "scan", symbol, "1d", Map.of("attempt", 1), null);
        return CODEC.encode(new ErrorEvent(UUID.randomUUID().toString(), type, message, traceback, severity, category,
                context, Instant.now()));
    }

    /** An error stamped by its producer at {@code at}: a burst of these has one timestamp. */
    public static String errorAt(Severity severity, Category category, String message, Instant at) {
        ErrorContext context = new ErrorContext("dashboard-test", "scan", "AAPL", "1d", Map.of("attempt", 1), null);
        return CODEC.encode(new ErrorEvent(UUID.randomUUID().toString(), "ValueError", message, null, severity, category,
                context, at));
    }

    public static String jobFailed(String job, String message) {
        Instant now = Instant.now();
        return CODEC.encode(ExecutionEvent.job(ExecutionEventType.JOB_FAILED, UUID.randomUUID().toString(), job)
                .batchRunId("dashboard-test").startedAt(now.minusSeconds(2)).completedAt(now).durationSeconds(2.0)
                .attempt(1).errorMessage(message).timestamp(now).build());
    }

    public static String jobSucceededAt(String job, Instant when) {
        return CODEC.encode(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, UUID.randomUUID().toString(), job)
                .batchRunId("dashboard-test").startedAt(when.minusSeconds(5)).completedAt(when).durationSeconds(5.0)
                .recordsProcessed(10L).attempt(1).timestamp(when).build());
    }

    /** Snake_case JSON written by hand, as a producer without the codec sends it (any severity and category text). */
    public static String error(String severity, String category, String type, String message, String symbol) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("error_id", UUID.randomUUID().toString());
        e.put("error_type", type);
        e.put("error_message", message);
        e.put("severity", severity);
        e.put("category", category);
        ObjectNode context = e.putObject("context");
        context.put("component", "gateway_test");
        context.put("symbol", symbol);
        return e.toString();
    }
}
