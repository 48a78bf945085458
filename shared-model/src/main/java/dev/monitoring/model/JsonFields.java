package dev.monitoring.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.Instant;

/**
 * Typed, null-tolerant reads of one JSON object's fields, each refusing a wrong type or an out-of-range value with a
 * reason that names the field (with its prefix, such as {@code context.}).
 */
final class JsonFields {
    private final ObjectNode node;
    private final String prefix;

    JsonFields(ObjectNode node, String prefix) {
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

    Boolean bool(String name) throws InvalidEventException {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false", v);
        }
        return v.booleanValue();
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

    /** What a JSON value is, for a reason: "an array", "a string", "null" ... */
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

    /** At most 40 characters of a value quoted in a reason. */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
