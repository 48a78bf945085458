package dev.monitoring.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The strict side of the error contract: each invalid payload is rejected with a reason that names the problem. */
class InvalidErrorEventTest {
    private final EventCodec codec = new EventCodec();

    static Stream<Arguments> invalidPayloads() {
        return Stream.of(
                arguments("not JSON", "disk full", "not valid JSON"),
                arguments("truncated JSON", "{\"severity\":\"error\"", "not valid JSON"),
                arguments("single quotes", "{'severity':'error'}", "not valid JSON"),
                arguments("trailing garbage", "{\"severity\":\"error\",\"error_message\":\"m\"} and more", "not valid JSON"),
                arguments("two objects", "{\"severity\":\"error\"}{\"severity\":\"error\"}", "not valid JSON"),
                arguments("empty", "", "empty payload"),
                arguments("blank", "  \n ", "empty payload"),
                arguments("array", "[{\"severity\":\"error\"}]", "not a JSON object: got an array"),
                arguments("string", "\"disk full\"", "not a JSON object: got a string"),
                arguments("number", "42", "not a JSON object: got a number"),
                arguments("boolean", "true", "not a JSON object: got a boolean"),
                arguments("null", "null", "not a JSON object: got null"),
                arguments("empty object", "{}", "missing both 'severity' and 'error_message'"),
                arguments("only other fields", "{\"category\":\"pattern\",\"error_type\":\"X\"}",
                        "missing both 'severity' and 'error_message'"),
                arguments("both null", "{\"severity\":null,\"error_message\":null}",
                        "missing both 'severity' and 'error_message'"),
                arguments("unknown severity", "{\"severity\":\"fatal\",\"error_message\":\"m\"}",
                        "unknown severity 'fatal' (allowed: debug, info, warning, error, critical)"),
                arguments("empty severity", "{\"severity\":\"\",\"error_message\":\"m\"}", "unknown severity ''"),
                arguments("numeric severity", "{\"severity\":4,\"error_message\":\"m\"}",
                        "field 'severity' must be a string, got a number"),
                arguments("message array", "{\"severity\":\"error\",\"error_message\":[\"m\"]}",
                        "field 'error_message' must be a string, got an array"),
                arguments("id number", "{\"severity\":\"error\",\"error_message\":\"m\",\"error_id\":7}",
                        "field 'error_id' must be a string, got a number"),
                arguments("type object", "{\"severity\":\"error\",\"error_message\":\"m\",\"error_type\":{}}",
                        "field 'error_type' must be a string, got an object"),
                arguments("traceback boolean", "{\"severity\":\"error\",\"error_message\":\"m\",\"error_traceback\":false}",
                        "field 'error_traceback' must be a string, got a boolean"),
                arguments("category number", "{\"severity\":\"error\",\"error_message\":\"m\",\"category\":3}",
                        "field 'category' must be a string, got a number"),
                arguments("timestamp boolean", "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":true}",
                        "field 'timestamp' must be an ISO-8601 date-time string, got a boolean"),
                arguments("timestamp words", "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":\"yesterday\"}",
                        "field 'timestamp' is not an ISO-8601 date-time: 'yesterday'"),
                arguments("impossible date", "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":\"2024-13-45T12:00:00\"}",
                        "field 'timestamp' is not an ISO-8601 date-time"),
                arguments("epoch out of range", "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":1e300}",
                        "field 'timestamp'"),
                arguments("epoch beyond year 9999", "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":1e15}",
                        "field 'timestamp' is out of range: '1.0E15' (years 0001 to 9999)"),
                arguments("year 300000", "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":\"+300000-01-01T00:00:00Z\"}",
                        "field 'timestamp'"),
                arguments("before year 1", "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":{\"timestamp\":\"-5000-01-01T00:00:00\"}}",
                        "field 'context.timestamp'"),
                arguments("context string", "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":\"PatternDetector\"}",
                        "field 'context' must be an object, got a string"),
                arguments("context symbol number", "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":{\"symbol\":42}}",
                        "field 'context.symbol' must be a string, got a number"),
                arguments("context component array", "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":{\"component\":[]}}",
                        "field 'context.component' must be a string, got an array"),
                arguments("context metadata array", "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":{\"metadata\":[1]}}",
                        "field 'context.metadata' must be an object, got an array"),
                arguments("context timestamp bad", "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":{\"timestamp\":\"noon\"}}",
                        "field 'context.timestamp' is not an ISO-8601 date-time: 'noon'"),
                arguments("too deep", nested(EventCodec.MAX_NESTING_DEPTH + 1),
                        "over a parser limit: Document nesting depth (33) exceeds the maximum allowed (32"),
                arguments("number too long", "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":"
                        + "9".repeat(2000) + "}", "over a parser limit: Number value length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPayloads")
    void rejectsWithItsSpecificReason(String name, String payload, String reason) {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> codec.decodeError(payload));

        assertThat(e).as("decoding %s must be rejected", name).isNotNull();
        assertThat(e.reason()).contains(reason);
        assertThat(e.getMessage()).isEqualTo(e.reason());
    }

    @Test
    void longValuesAreAbbreviatedInReasons() {
        String severity = "x".repeat(500);

        InvalidEventException e = catchThrowableOfType(InvalidEventException.class,
                () -> codec.decodeError("{\"severity\":\"" + severity + "\"}"));

        assertThat(e.reason()).hasSizeLessThan(200).contains("...");
    }

    @Test
    void payloadOfExactly64KiBIsAccepted() {
        String payload = padded(EventCodec.MAX_PAYLOAD_BYTES, "a");

        assertThat(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(64 * 1024);
        assertThatCode(() -> codec.decodeError(payload)).doesNotThrowAnyException();
    }

    @Test
    void payloadOneByteOver64KiBIsRejected() {
        String payload = padded(EventCodec.MAX_PAYLOAD_BYTES + 1, "a");

        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> codec.decodeError(payload));

        assertThat(e.reason()).isEqualTo("payload is 65537 bytes, over the limit of 65536 bytes");
    }

    @Test
    void payloadLimitCountsUtf8BytesNotCharacters() {
        // 3-byte characters: fewer than 64 Ki chars, but more than 64 KiB on the wire.
        String payload = padded(66_000, "\u20ac");

        assertThat(payload.length()).isLessThan(EventCodec.MAX_PAYLOAD_BYTES);
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> codec.decodeError(payload));

        assertThat(e.reason()).contains("over the limit of 65536 bytes");
    }

    @Test
    void nestingWithinTheLimitIsAccepted() {
        assertThatCode(() -> codec.decodeError(nested(EventCodec.MAX_NESTING_DEPTH))).doesNotThrowAnyException();
    }

    /** A valid event whose metadata nests {@code depth} levels in total. */
    static String nested(int depth) {
        int inner = depth - 3; // the event object, the context and the innermost {} are three levels
        return "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":{\"metadata\":"
                + "{\"a\":".repeat(inner) + "{}" + "}".repeat(inner) + "}}";
    }

    /** A valid event padded to exactly {@code bytes} UTF-8 bytes (give or take one filler character). */
    static String padded(int bytes, String filler) {
        String head = "{\"severity\":\"error\",\"error_message\":\"";
        String tail = "\"}";
        int fillerBytes = filler.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        int room = bytes - head.length() - tail.length();
        StringBuilder sb = new StringBuilder(head).append(filler.repeat(room / fillerBytes));
        sb.append("b".repeat(room % fillerBytes));
        return sb.append(tail).toString();
    }
}
