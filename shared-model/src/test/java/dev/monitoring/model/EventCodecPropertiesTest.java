package dev.monitoring.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Properties of the codec over many generated events and many generated bad payloads. */
class EventCodecPropertiesTest {
    private static final int TRIES = 1000;
    /** JSON values that break naive decoders: huge and fractional numbers, wrong kinds, odd strings. */
    private static final List<String> NASTY_VALUES = List.of("null", "true", "0", "-1", "1.5", "1e400", "-1e400",
            "1e300", "99999999999999999999", "-99999999999999999999", "9999999999", "1E-400", "\"\"", "\" \"",
            "\"x\"", "\"2024-13-45T25:61:00\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "[1,[2,[3]]]", "{}",
            "{\"a\":{\"b\":{\"c\":null}}}", "\"run.started\"", "\"error\"", "\"2024-01-01T12:00:00+25:00\"");
    private static final List<String> FIELDS = List.of("error_id", "error_type", "error_message", "error_traceback",
            "severity", "category", "context", "timestamp", "event", "execution_id", "batch_run_id", "job", "symbol",
            "timeframe", "status", "started_at", "completed_at", "duration_seconds", "records_processed", "attempt",
            "error_message", "total_jobs", "completed_jobs", "failed_jobs", "current_job", "current_target",
            "progress_percent", "fresh_seconds", "stale_seconds", "deadline", "will_retry");

    private final EventCodec codec = new EventCodec();

    @Property(tries = TRIES)
    void errorEventsRoundTrip(@ForAll("errorEvents") ErrorEvent event) throws Exception {
        String wire = codec.encode(event);

        assertThat(codec.decodeError(wire)).isEqualTo(event);
    }

    @Property(tries = TRIES)
    void executionEventsRoundTrip(@ForAll("executionEvents") ExecutionEvent event) throws Exception {
        String wire = codec.encode(event);

        assertThat(codec.decodeExecution(wire)).isEqualTo(event);
    }

    @Property(tries = TRIES)
    void decodeThenEncodeIsStable(@ForAll("errorEvents") ErrorEvent event) throws Exception {
        String once = codec.encode(codec.decodeError(codec.encode(event)));

        assertThat(codec.encode(codec.decodeError(once))).isEqualTo(once);
    }

    /** Epoch numbers are JSON doubles: exact to the millisecond, which is what producers (e.g. Python's time.time()) send. */
    @Property(tries = TRIES)
    void epochSecondsAndIsoTextMeanTheSameInstant(@ForAll("instants") Instant precise) throws Exception {
        Instant instant = precise.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String epoch = new java.math.BigDecimal(instant.getEpochSecond()).add(
                java.math.BigDecimal.valueOf(instant.getNano(), 9)).toPlainString();
        String asNumber = "{\"severity\":\"info\",\"error_message\":\"m\",\"timestamp\":" + epoch + "}";
        String asText = "{\"severity\":\"info\",\"error_message\":\"m\",\"timestamp\":\"" + instant + "\"}";

        assertThat(codec.decodeError(asNumber).timestamp()).isEqualTo(instant);
        assertThat(codec.decodeError(asText).timestamp()).isEqualTo(instant);
    }

    @Property(tries = TRIES)
    void arbitraryTextOnlyEverFailsWithAReason(@ForAll String garbage) {
        assertOnlyRejectedWithAReason(garbage);
    }

    @Property(tries = TRIES)
    void jsonLikeGarbageOnlyEverFailsWithAReason(@ForAll("jsonLikeGarbage") String garbage) {
        assertOnlyRejectedWithAReason(garbage);
    }

    @Property(tries = TRIES)
    void validEventsWithOneNastyFieldOnlyEverFailWithAReason(@ForAll("eventsWithANastyField") String payload) {
        assertOnlyRejectedWithAReason(payload);
    }

    @Property(tries = 200)
    void decodedErrorEventsAlwaysHaveTheRequiredParts(@ForAll("eventsWithANastyField") String payload) {
        try {
            ErrorEvent event = codec.decodeError(payload);
            assertThat(event.errorId()).isNotBlank();
            assertThat(event.severity()).isNotNull();
            assertThat(event.errorMessage()).isNotNull();
            assertThat(event.category()).isNotNull();
            assertThat(event.context()).isNotNull();
            assertThat(event.timestamp()).isNotNull();
        } catch (InvalidEventException e) {
            assertThat(e.reason()).isNotBlank();
        }
    }

    private void assertOnlyRejectedWithAReason(String payload) {
        Throwable onError = catchThrowable(() -> codec.decodeError(payload));
        Throwable onExecution = catchThrowable(() -> codec.decodeExecution(payload));

        for (Throwable t : new Throwable[] {onError, onExecution}) {
            if (t != null) {
                assertThat(t).as("payload %s", payload).isInstanceOf(InvalidEventException.class);
                assertThat(t.getMessage()).isNotBlank();
            }
        }
    }

    @Provide
    Arbitrary<ErrorEvent> errorEvents() {
        Arbitrary<String> id = text().filter(s -> !s.isBlank());
        return Combinators.combine(id, text().injectNull(0.3), text(), text().injectNull(0.5),
                        Arbitraries.of(Severity.class), Arbitraries.of(Category.class), contexts(), instants())
                .as(ErrorEvent::new);
    }

    @Provide
    Arbitrary<ExecutionEvent> executionEvents() {
        return Arbitraries.of(ExecutionEventType.class).flatMap(type -> Builders
                .withBuilder(() -> type.isRunLevel()
                        ? ExecutionEvent.run(type, "run-" + System.nanoTime())
                        : ExecutionEvent.job(type, "exec-" + System.nanoTime(), "job"))
                .use(nonBlank()).in((b, v) -> type.isRunLevel() ? b.batchRunId(v) : b.executionId(v))
                .use(nonBlank()).in((b, v) -> type.isRunLevel() ? b : b.job(v))
                .use(text().injectNull(0.5)).in((b, v) -> type.isRunLevel() ? b : b.batchRunId(v))
                .use(text().injectNull(0.5)).in(ExecutionEvent.Builder::symbol)
                .use(text().injectNull(0.5)).in(ExecutionEvent.Builder::timeframe)
                .use(Arbitraries.of(ExecutionStatus.class).injectNull(0.5)).in(ExecutionEvent.Builder::status)
                .use(instants().injectNull(0.3)).in(ExecutionEvent.Builder::startedAt)
                .use(instants().injectNull(0.3)).in(ExecutionEvent.Builder::completedAt)
                .use(finiteDoubles()).in(ExecutionEvent.Builder::durationSeconds)
                .use(Arbitraries.longs().injectNull(0.3)).in(ExecutionEvent.Builder::recordsProcessed)
                .use(Arbitraries.integers().injectNull(0.3)).in(ExecutionEvent.Builder::attempt)
                .use(text().injectNull(0.5)).in(ExecutionEvent.Builder::errorMessage)
                .use(Arbitraries.integers().between(0, 10_000).injectNull(0.5)).in(ExecutionEvent.Builder::totalJobs)
                .use(Arbitraries.integers().between(0, 10_000).injectNull(0.5)).in(ExecutionEvent.Builder::completedJobs)
                .use(Arbitraries.integers().between(0, 10_000).injectNull(0.5)).in(ExecutionEvent.Builder::failedJobs)
                .use(text().injectNull(0.5)).in(ExecutionEvent.Builder::currentJob)
                .use(text().injectNull(0.5)).in(ExecutionEvent.Builder::currentTarget)
                .use(finiteDoubles()).in(ExecutionEvent.Builder::progressPercent)
                .use(Arbitraries.longs().between(0, 10_000_000).injectNull(0.5)).in(ExecutionEvent.Builder::freshSeconds)
                .use(Arbitraries.longs().between(0, 10_000_000).injectNull(0.5)).in(ExecutionEvent.Builder::staleSeconds)
                .use(instants().injectNull(0.5)).in(ExecutionEvent.Builder::deadline)
                .use(Arbitraries.of(true, false).injectNull(0.5)).in(ExecutionEvent.Builder::willRetry)
                .use(instants()).in(ExecutionEvent.Builder::timestamp)
                .build(ExecutionEvent.Builder::build));
    }

    /** Fragments of JSON glued together: mostly almost-valid, often nested, sometimes deep. */
    @Provide
    Arbitrary<String> jsonLikeGarbage() {
        Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\",
                        "{\"severity\":", "\"error_message\":", "\"context\":{", "\"metadata\":[", "\"event\":",
                        "\"job.started\"", "\"timestamp\":", " ", "\n", "\u0000", "\ud83d\ude00"),
                Arbitraries.of(NASTY_VALUES), Arbitraries.strings().ofMaxLength(5));
        return token.list().ofMaxSize(200).map(parts -> String.join("", parts));
    }

    /** A valid event (error or execution) with one field replaced by a nasty value, at top level or in the context. */
    @Provide
    Arbitrary<String> eventsWithANastyField() {
        Arbitrary<String> base = Arbitraries.of(
                "{\"severity\":\"error\",\"error_message\":\"m\"",
                "{\"severity\":\"error\",\"error_message\":\"m\",\"context\":{\"symbol\":\"AAPL\",\"%s\":%s}",
                "{\"event\":\"job.started\",\"execution_id\":\"e\",\"job\":\"j\"",
                "{\"event\":\"run.progress\",\"batch_run_id\":\"r\"");
        return Combinators.combine(base, Arbitraries.of(FIELDS), Arbitraries.of(NASTY_VALUES))
                .as((b, field, value) -> b.contains("%s")
                        ? b.formatted(field, value) + "}"
                        : b + ",\"" + field + "\":" + value + "}");
    }

    private static Arbitrary<ErrorContext> contexts() {
        Arbitrary<Map<String, Object>> metadata = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(10),
                Arbitraries.oneOf(text(), Arbitraries.integers(), Arbitraries.of(true, false),
                        Arbitraries.doubles().between(-1e9, 1e9), text().list().ofMaxSize(3).map(l -> (Object) l))
                        .map(v -> (Object) v)).ofMaxSize(4);
        return Combinators.combine(text().injectNull(0.3), text().injectNull(0.3), text().injectNull(0.3),
                        text().injectNull(0.3), metadata, instants().injectNull(0.5))
                .as(ErrorContext::new);
    }

    @Provide("instants")
    static Arbitrary<Instant> instants() {
        // 1900-01-01 .. 2200-01-01, with nanosecond precision.
        return Combinators.combine(Arbitraries.longs().between(-2_208_988_800L, 7_258_118_400L),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(40);
    }

    private static Arbitrary<String> nonBlank() {
        return text().filter(s -> !s.isBlank());
    }

    private static Arbitrary<Double> finiteDoubles() {
        return Arbitraries.doubles().between(-1e12, 1e12).injectNull(0.3);
    }
}
