package dev.monitoring.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lenient side of the error contract: what a valid error event decodes to. */
class ErrorEventCodecTest {
    /** The example of the wire format, verbatim from the contract. */
    static final String ISSUE_EXAMPLE = """
            {"error_id": "PatternDetector_detect_doji_1234567890.123",
             "error_type": "PatternDetectionError",
             "error_message": "Pattern detection failed for Doji: Insufficient data",
             "error_traceback": "Full traceback...",
             "severity": "error",
             "category": "pattern",
             "context": {"component": "PatternDetector", "operation": "detect_doji", "symbol": "AAPL",
                         "timeframe": "daily", "metadata": {}, "timestamp": "2024-01-01T12:00:00"},
             "timestamp": "2024-01-01T12:00:00"}
            """;
    static final Instant RECEIPT = Instant.parse("2030-05-06T07:08:09.123Z");

    private final EventCodec codec = new EventCodec(Clock.fixed(RECEIPT, ZoneOffset.UTC));

    @Test
    void decodesEveryFieldOfTheIssueExample() throws Exception {
        ErrorEvent event = codec.decodeError(ISSUE_EXAMPLE);

        assertThat(event.errorId()).isEqualTo("PatternDetector_detect_doji_1234567890.123");
        assertThat(event.errorType()).isEqualTo("PatternDetectionError");
        assertThat(event.errorMessage()).isEqualTo("Pattern detection failed for Doji: Insufficient data");
        assertThat(event.errorTraceback()).isEqualTo("Full traceback...");
        assertThat(event.severity()).isEqualTo(Severity.ERROR);
        assertThat(event.category()).isEqualTo(Category.PATTERN);
        assertThat(event.context()).isEqualTo(new ErrorContext("PatternDetector", "detect_doji", "AAPL", "daily",
                Map.of(), Instant.parse("2024-01-01T12:00:00Z")));
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
    }

    @Test
    void issueExampleRoundTrips() throws Exception {
        ErrorEvent decoded = codec.decodeError(ISSUE_EXAMPLE);

        String encoded = codec.encode(decoded);

        assertThat(codec.decodeError(encoded)).isEqualTo(decoded);
    }

    @Test
    void encodesTheSnakeCaseWireFormat() throws Exception {
        JsonNode wire = codec.mapper().readTree(codec.encode(codec.decodeError(ISSUE_EXAMPLE)));

        assertThat(wire.fieldNames()).toIterable().containsExactlyInAnyOrder("error_id", "error_type",
                "error_message", "error_traceback", "severity", "category", "context", "timestamp");
        assertThat(wire.get("severity").textValue()).isEqualTo("error");
        assertThat(wire.get("category").textValue()).isEqualTo("pattern");
        assertThat(wire.get("timestamp").textValue()).isEqualTo("2024-01-01T12:00:00Z");
        assertThat(wire.get("context").fieldNames()).toIterable().containsExactlyInAnyOrder("component",
                "operation", "symbol", "timeframe", "metadata", "timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"severity\":\"error\",\"error_message\":\"hello\"}",
            "{\"severity\":\"error\",\"error_message\":\"disk full\"}"})
    void minimalHandTypedEventIsValidWithDefaults(String payload) throws Exception {
        ErrorEvent event = codec.decodeError(payload);

        assertThat(event.severity()).isEqualTo(Severity.ERROR);
        assertThat(event.errorMessage()).isIn("hello", "disk full");
        assertThat(event.errorId()).isNotBlank();
        assertThat(event.timestamp()).isEqualTo(RECEIPT);
        assertThat(event.category()).isEqualTo(Category.UNKNOWN);
        assertThat(event.context()).isEqualTo(ErrorContext.EMPTY);
        assertThat(event.errorType()).isNull();
        assertThat(event.errorTraceback()).isNull();
    }

    @Test
    void generatedIdsAreUnique() throws Exception {
        String payload = "{\"severity\":\"error\",\"error_message\":\"disk full\"}";

        assertThat(codec.decodeError(payload).errorId()).isNotEqualTo(codec.decodeError(payload).errorId());
    }

    @Test
    void blankIdIsReplacedByAGeneratedOne() throws Exception {
        ErrorEvent event = codec.decodeError("{\"error_id\":\"  \",\"severity\":\"info\",\"error_message\":\"x\"}");

        assertThat(event.errorId()).isNotBlank();
    }

    @Test
    void withoutTimestampTheReceiptTimeOfTheSystemClockIsUsed() throws Exception {
        Instant before = Instant.now();

        ErrorEvent event = new EventCodec().decodeError("{\"severity\":\"error\",\"error_message\":\"hello\"}");

        assertThat(event.timestamp()).isBetween(before, Instant.now());
    }

    @Test
    void messageAloneDefaultsToSeverityError() throws Exception {
        assertThat(codec.decodeError("{\"error_message\":\"disk full\"}").severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void severityAloneIsValidAndGetsAPlaceholderMessage() throws Exception {
        assertThat(codec.decodeError("{\"severity\":\"warning\"}").errorMessage()).isNotBlank();
        assertThat(codec.decodeError("{\"severity\":\"warning\",\"error_type\":\"Timeout\"}").errorMessage())
                .isEqualTo("Timeout");
    }

    @ParameterizedTest
    @CsvSource({"debug,DEBUG", "info,INFO", "warning,WARNING", "error,ERROR", "critical,CRITICAL",
            "ERROR,ERROR", "' Critical ',CRITICAL"})
    void severityNamesAreCaseInsensitive(String wire, Severity expected) throws Exception {
        String payload = "{\"severity\":\"" + wire + "\",\"error_message\":\"m\"}";

        assertThat(codec.decodeError(payload).severity()).isEqualTo(expected);
    }

    @Test
    void severitiesAreOrderedFromDebugToCritical() {
        assertThat(Severity.values()).containsExactly(Severity.DEBUG, Severity.INFO, Severity.WARNING,
                Severity.ERROR, Severity.CRITICAL);
        assertThat(Severity.ERROR.atLeast(Severity.WARNING)).isTrue();
        assertThat(Severity.ERROR.atLeast(Severity.ERROR)).isTrue();
        assertThat(Severity.WARNING.atLeast(Severity.ERROR)).isFalse();
        assertThat(Severity.ALLOWED).isEqualTo("debug, info, warning, error, critical");
    }

    @ParameterizedTest
    @CsvSource({
            "2024-01-01T12:00:00,            2024-01-01T12:00:00Z",
            "2024-01-01T12:00:00Z,           2024-01-01T12:00:00Z",
            "2024-01-01T12:00:00.123,        2024-01-01T12:00:00.123Z",
            "2024-01-01T12:00:00.123456789,  2024-01-01T12:00:00.123456789Z",
            "2024-01-01T12:00:00+02:00,      2024-01-01T10:00:00Z",
            "2024-01-01T12:00:00.5-05:30,    2024-01-01T17:30:00.5Z",
            "2024-01-01T12:00:00.250Z,       2024-01-01T12:00:00.25Z",
            "2024-01-01 12:00:00,            2024-01-01T12:00:00Z",
            "2024-01-01T12:00,               2024-01-01T12:00:00Z",
            "2024-01-01t12:00:00z,           2024-01-01T12:00:00Z"})
    void timestampsWithOrWithoutOffsetAndFractionNaiveMeansUtc(String wire, String expected) throws Exception {
        String payload = "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":\"" + wire
                + "\",\"context\":{\"timestamp\":\"" + wire + "\"}}";

        ErrorEvent event = codec.decodeError(payload);

        assertThat(event.timestamp()).isEqualTo(Instant.parse(expected));
        assertThat(event.context().timestamp()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"1704110400, 2024-01-01T12:00:00Z", "1704110400.123, 2024-01-01T12:00:00.123Z",
            "-1.5, 1969-12-31T23:59:58.5Z", "0, 1970-01-01T00:00:00Z"})
    void epochSecondsAreAcceptedFromOtherLanguages(String wire, String expected) throws Exception {
        String payload = "{\"severity\":\"error\",\"error_message\":\"m\",\"timestamp\":" + wire + "}";

        assertThat(codec.decodeError(payload).timestamp()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @EnumSource(Category.class)
    void everyCategoryIsRecognised(Category category) throws Exception {
        String payload = "{\"severity\":\"error\",\"error_message\":\"m\",\"category\":\"" + category.wireName() + "\"}";

        assertThat(codec.decodeError(payload).category()).isEqualTo(category);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"bogus\"", "\"\"", "\"patterns\"", "null"})
    void unrecognisedCategoryBecomesUnknownNotAnError(String wire) throws Exception {
        String payload = "{\"severity\":\"error\",\"error_message\":\"m\",\"category\":" + wire + "}";

        assertThat(codec.decodeError(payload).category()).isEqualTo(Category.UNKNOWN);
    }

    @Test
    void categoryIsCaseInsensitive() throws Exception {
        assertThat(codec.decodeError("{\"severity\":\"error\",\"error_message\":\"m\",\"category\":\"Database\"}")
                .category()).isEqualTo(Category.DATABASE);
    }

    @Test
    void unknownFieldsAndNullsAreIgnored() throws Exception {
        ErrorEvent event = codec.decodeError("""
                {"severity":"error","error_message":"m","host":"web-1","error_type":null,
                 "context":{"symbol":"MSFT","extra":[1,2,3],"metadata":null}}""");

        assertThat(event.errorType()).isNull();
        assertThat(event.context().symbol()).isEqualTo("MSFT");
        assertThat(event.context().metadata()).isEmpty();
    }

    @Test
    void metadataKeepsNestedValues() throws Exception {
        ErrorEvent event = codec.decodeError("""
                {"severity":"error","error_message":"m",
                 "context":{"metadata":{"rows":42,"ratio":0.5,"ok":false,"tags":["a","b"],"db":{"host":"pg"}}}}""");

        assertThat(event.context().metadata()).containsEntry("rows", 42).containsEntry("ratio", 0.5)
                .containsEntry("ok", false).containsEntry("tags", java.util.List.of("a", "b"))
                .containsEntry("db", Map.of("host", "pg"));
        assertThat(codec.decodeError(codec.encode(event))).isEqualTo(event);
    }
}
