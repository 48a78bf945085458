package dev.monitoring.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The one JSON codec of the event contract, shared by every producer and consumer.
 *
 * <p>Lenient where a person types by hand (missing id, timestamp or category are filled in),
 * strict where it matters: every rejection is an {@link InvalidEventException} whose message says
 * what is wrong in words the producer can act on. Thread-safe.
 */
public final class EventCodec {
    /** Largest payload accepted, in UTF-8 bytes. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** Deepest JSON nesting accepted; real events are 3 levels deep, hostile ones thousands. */
    public static final int MAX_NESTING_DEPTH = 32;

    private final ObjectMapper mapper;
    private final Clock clock;

    public EventCodec() {
        this(Clock.systemUTC());
    }

    public EventCodec(Clock clock) {
        this.clock = clock;
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // "{...} and more" is not JSON: without this, readTree stops after the first value.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }

    /** The mapper configured for the contract (ISO timestamps, snake_case records). */
    public ObjectMapper mapper() {
        return mapper;
    }

    public String encode(Object event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /** Decodes an {@code errors} channel payload, filling in defaults; rejects it with a reason when invalid. */
    public ErrorEvent decodeError(String payload) throws InvalidEventException {
        JsonFields f = new JsonFields(parseObject(payload), "");
        String severityText = f.string("severity");
        String message = f.string("error_message");
        if (severityText == null && message == null) {
            throw new InvalidEventException("missing both 'severity' and 'error_message': an error event needs at least one");
        }
        Severity severity = Severity.ERROR;
        if (severityText != null) {
            severity = Severity.parse(severityText).orElseThrow(() -> new InvalidEventException(
                    "unknown severity '" + JsonFields.abbreviate(severityText) + "' (allowed: " + Severity.ALLOWED + ")"));
        }
        String type = f.string("error_type");
        if (message == null) {
            message = type != null ? type : "(no message)";
        }
        String id = f.string("error_id");
        if (id == null || id.isBlank()) {
            id = "gen-" + UUID.randomUUID();
        }
        Instant timestamp = f.instant("timestamp");
        return new ErrorEvent(id, type, message, f.string("error_traceback"), severity,
                Category.parse(f.string("category")), decodeContext(f.object("context")),
                timestamp != null ? timestamp : clock.instant());
    }

    /** Decodes an {@code executions} channel payload; rejects it with a reason when invalid. */
    public ExecutionEvent decodeExecution(String payload) throws InvalidEventException {
        JsonFields f = new JsonFields(parseObject(payload), "");
        String eventName = f.string("event");
        if (eventName == null) {
            throw new InvalidEventException("missing field 'event' (allowed: " + ExecutionEventType.ALLOWED + ")");
        }
        ExecutionEventType type = ExecutionEventType.parse(eventName).orElseThrow(() -> new InvalidEventException(
                "unknown event '" + JsonFields.abbreviate(eventName) + "' (allowed: " + ExecutionEventType.ALLOWED + ")"));
        String statusText = f.string("status");
        ExecutionStatus status = statusText == null ? null : ExecutionStatus.parse(statusText).orElseThrow(() ->
                new InvalidEventException("unknown status '" + JsonFields.abbreviate(statusText) + "' (allowed: " + ExecutionStatus.ALLOWED + ")"));
        ExecutionEvent.Builder b = type.isRunLevel()
                ? ExecutionEvent.run(type, f.requiredString("batch_run_id", "a run event"))
                : ExecutionEvent.job(type, f.requiredString("execution_id", "a job event"), f.requiredString("job", "a job event"))
                        .batchRunId(f.string("batch_run_id"));
        Instant timestamp = f.instant("timestamp");
        return b.symbol(f.string("symbol"))
                .timeframe(f.string("timeframe"))
                .status(status)
                .startedAt(f.instant("started_at"))
                .completedAt(f.instant("completed_at"))
                .durationSeconds(f.decimal("duration_seconds"))
                .recordsProcessed(f.integer("records_processed"))
                .attempt(f.int32("attempt"))
                .errorMessage(f.string("error_message"))
                .totalJobs(f.int32("total_jobs"))
                .completedJobs(f.int32("completed_jobs"))
                .failedJobs(f.int32("failed_jobs"))
                .currentJob(f.string("current_job"))
                .currentTarget(f.string("current_target"))
                .progressPercent(f.decimal("progress_percent"))
                .freshSeconds(f.integer("fresh_seconds"))
                .staleSeconds(f.integer("stale_seconds"))
                .deadline(f.instant("deadline"))
                .willRetry(f.bool("will_retry"))
                .timestamp(timestamp != null ? timestamp : clock.instant())
                .build();
    }

    private ErrorContext decodeContext(ObjectNode node) throws InvalidEventException {
        if (node == null) {
            return ErrorContext.EMPTY;
        }
        JsonFields c = new JsonFields(node, "context.");
        ObjectNode metadata = c.object("metadata");
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = metadata == null ? Map.of() : mapper.convertValue(metadata, Map.class);
        return new ErrorContext(c.string("component"), c.string("operation"), c.string("symbol"),
                c.string("timeframe"), meta, c.instant("timestamp"));
    }

    private ObjectNode parseObject(String payload) throws InvalidEventException {
        if (payload == null || payload.isBlank()) {
            throw new InvalidEventException("empty payload: expected a JSON object");
        }
        int bytes = utf8Length(payload);
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new InvalidEventException("payload is " + bytes + " bytes, over the limit of " + MAX_PAYLOAD_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = mapper.readTree(payload);
        } catch (StreamConstraintsException e) {
            // Valid JSON maybe, but hostile: too deep a nesting or too long a number or string.
            throw new InvalidEventException("over a parser limit: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidEventException("empty payload: expected a JSON object");
        }
        if (!node.isObject()) {
            throw new InvalidEventException("not a JSON object: got " + JsonFields.kind(node));
        }
        return (ObjectNode) node;
    }

    /** UTF-8 length counted, not encoded: a copy of every large payload just to measure it cost a quarter of ingest. */
    static int utf8Length(String s) {
        // Cheap exact bound first: a char is at most 3 UTF-8 bytes.
        if ((long) s.length() * 3 <= MAX_PAYLOAD_BYTES) {
            return s.length();
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++; // a lone surrogate is encoded as '?'
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}
