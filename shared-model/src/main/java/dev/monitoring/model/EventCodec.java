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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
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
        Fields f = new Fields(parseObject(payload), "");
        String severityText = f.string("severity");
        String message = f.string("error_message");
        if (severityText == null && message == null) {
            throw new InvalidEventException("missing both 'severity' and 'error_message': an error event needs at least one");
        }
        Severity severity = Severity.ERROR;
        if (severityText != null) {
            severity = Severity.parse(severityText).orElseThrow(() -> new InvalidEventException(
                    "unknown severity '" + abbreviate(severityText) + "' (allowed: " + Severity.ALLOWED + ")"));
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
        Fields f = new Fields(parseObject(payload), "");
        String eventName = f.string("event");
        if (eventName == null) {
            throw new InvalidEventException("missing field 'event' (allowed: " + ExecutionEventType.ALLOWED + ")");
        }
        ExecutionEventType type = ExecutionEventType.parse(eventName).orElseThrow(() -> new InvalidEventException(
                "unknown event '" + abbreviate(eventName) + "' (allowed: " + ExecutionEventType.ALLOWED + ")"));
        String statusText = f.string("status");
        ExecutionStatus status = statusText == null ? null : ExecutionStatus.parse(statusText).orElseThrow(() ->
                new InvalidEventException("unknown status '" + abbreviate(statusText) + "' (allowed: " + ExecutionStatus.ALLOWED + ")"));
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
                .timestamp(timestamp != null ? timestamp : clock.instant())
                .build();
    }

    private ErrorContext decodeContext(ObjectNode node) throws InvalidEventException {
        if (node == null) {
            return ErrorContext.EMPTY;
        }
        Fields c = new Fields(node, "context.");
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
            throw new InvalidEventException("not a JSON object: got " + kind(node));
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

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    /** Typed, null-tolerant reads of one JSON object's fields with reasons that name the field. */
    private static final class Fields {
        private final ObjectNode node;
        private final String prefix;

        Fields(ObjectNode node, String prefix) {
            this.node = node;
            this.prefix = prefix;
        }

        private JsonNode get(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : v;
        }

        private InvalidEventException wrongType(String name, String expected, JsonNode got) {
            return new InvalidEventException("field '" + prefix + name + "' must be " + expected + ", got " + kind(got));
        }

        String string(String name) throws InvalidEventException {
            JsonNode v = get(name);
            if (v == null) {
                return null;
            }
            if (!v.isTextual()) {
                throw wrongType(name, "a string", v);
            }
            return v.textValue();
        }

        String requiredString(String name, String what) throws InvalidEventException {
            String v = string(name);
            if (v == null || v.isBlank()) {
                throw new InvalidEventException("missing field '" + prefix + name + "': required for " + what);
            }
            return v;
        }

        Long integer(String name) throws InvalidEventException {
            JsonNode v = get(name);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw wrongType(name, "a whole number", v);
            }
            return v.longValue();
        }

        Integer int32(String name) throws InvalidEventException {
            Long v = integer(name);
            if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                throw new InvalidEventException("field '" + prefix + name + "' is out of range: " + v
                        + " (allowed: " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")");
            }
            return v == null ? null : v.intValue();
        }

        Double decimal(String name) throws InvalidEventException {
            JsonNode v = get(name);
            if (v == null) {
                return null;
            }
            if (!v.isNumber()) {
                throw wrongType(name, "a number", v);
            }
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                // 1e400 parses to infinity, which would be re-encoded as the string "Infinity".
                throw new InvalidEventException("field '" + prefix + name + "' is out of range: " + abbreviate(v.asText()));
            }
            return d;
        }

        ObjectNode object(String name) throws InvalidEventException {
            JsonNode v = get(name);
            if (v == null) {
                return null;
            }
            if (!v.isObject()) {
                throw wrongType(name, "an object", v);
            }
            return (ObjectNode) v;
        }

        Instant instant(String name) throws InvalidEventException {
            JsonNode v = get(name);
            if (v == null) {
                return null;
            }
            Instant parsed;
            if (v.isNumber()) {
                try {
                    if (!Double.isFinite(v.doubleValue())) {
                        throw new ArithmeticException("not finite");
                    }
                    parsed = Timestamps.fromEpochSeconds(v.decimalValue());
                } catch (ArithmeticException | DateTimeException e) {
                    throw new InvalidEventException("field '" + prefix + name
                            + "' is out of range as epoch seconds: " + abbreviate(v.asText()));
                }
            } else if (!v.isTextual()) {
                throw wrongType(name, "an ISO-8601 date-time string", v);
            } else {
                parsed = Timestamps.parse(v.textValue()).orElseThrow(() -> new InvalidEventException(
                        "field '" + prefix + name + "' is not an ISO-8601 date-time: '" + abbreviate(v.textValue()) + "'"));
            }
            if (parsed.isBefore(Timestamps.EARLIEST) || parsed.isAfter(Timestamps.LATEST)) {
                throw new InvalidEventException("field '" + prefix + name + "' is out of range: '" + abbreviate(v.asText())
                        + "' (years 0001 to 9999)");
            }
            return parsed;
        }
    }
}
