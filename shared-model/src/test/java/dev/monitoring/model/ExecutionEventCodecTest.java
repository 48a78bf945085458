package dev.monitoring.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The {@code executions} channel contract: run-level and job-level events, valid and invalid. */
class ExecutionEventCodecTest {
    static final Instant RECEIPT = Instant.parse("2030-05-06T07:08:09Z");

    private final EventCodec codec = new EventCodec(Clock.fixed(RECEIPT, ZoneOffset.UTC));

    @Test
    void minimalRunEventNeedsOnlyEventAndBatchRunId() throws Exception {
        ExecutionEvent event = codec.decodeExecution("{\"event\":\"run.started\",\"batch_run_id\":\"run-1\"}");

        assertThat(event.event()).isEqualTo(ExecutionEventType.RUN_STARTED);
        assertThat(event.isRunLevel()).isTrue();
        assertThat(event.batchRunId()).isEqualTo("run-1");
        assertThat(event.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(event.timestamp()).isEqualTo(RECEIPT);
    }

    @Test
    void runProgressCarriesTotalsAndCurrentTarget() throws Exception {
        ExecutionEvent event = codec.decodeExecution("""
                {"event":"run.progress","batch_run_id":"run-1","total_jobs":10,"completed_jobs":4,
                 "failed_jobs":1,"current_job":"fetch_prices","current_target":"AAPL/daily",
                 "progress_percent":40.0,"records_processed":1200,"started_at":"2024-01-01T12:00:00",
                 "deadline":"2024-01-01T12:01:00Z"}""");

        assertThat(event.totalJobs()).isEqualTo(10);
        assertThat(event.completedJobs()).isEqualTo(4);
        assertThat(event.failedJobs()).isEqualTo(1);
        assertThat(event.currentJob()).isEqualTo("fetch_prices");
        assertThat(event.currentTarget()).isEqualTo("AAPL/daily");
        assertThat(event.progressPercent()).isEqualTo(40.0);
        assertThat(event.recordsProcessed()).isEqualTo(1200L);
        assertThat(event.startedAt()).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
        assertThat(event.deadline()).isEqualTo(Instant.parse("2024-01-01T12:01:00Z"));
    }

    @Test
    void fullJobEventDecodesAndRoundTrips() throws Exception {
        ExecutionEvent event = codec.decodeExecution("""
                {"event":"job.failed","execution_id":"exec-42","batch_run_id":"run-1","job":"detect_patterns",
                 "symbol":"AAPL","timeframe":"daily","status":"failed",
                 "started_at":"2024-01-01T12:00:00Z","completed_at":"2024-01-01T12:00:03.5Z",
                 "duration_seconds":3.5,"records_processed":0,"attempt":2,"error_message":"Insufficient data",
                 "fresh_seconds":3600,"stale_seconds":86400,"timestamp":"2024-01-01T12:00:03.5Z"}""");

        assertThat(event.event()).isEqualTo(ExecutionEventType.JOB_FAILED);
        assertThat(event.isRunLevel()).isFalse();
        assertThat(event.executionId()).isEqualTo("exec-42");
        assertThat(event.batchRunId()).isEqualTo("run-1");
        assertThat(event.job()).isEqualTo("detect_patterns");
        assertThat(event.symbol()).isEqualTo("AAPL");
        assertThat(event.timeframe()).isEqualTo("daily");
        assertThat(event.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(event.completedAt()).isEqualTo(Instant.parse("2024-01-01T12:00:03.5Z"));
        assertThat(event.durationSeconds()).isEqualTo(3.5);
        assertThat(event.recordsProcessed()).isZero();
        assertThat(event.attempt()).isEqualTo(2);
        assertThat(event.errorMessage()).isEqualTo("Insufficient data");
        assertThat(event.freshSeconds()).isEqualTo(3600L);
        assertThat(event.staleSeconds()).isEqualTo(86400L);

        assertThat(codec.decodeExecution(codec.encode(event))).isEqualTo(event);
    }

    @Test
    void scriptOutsideTheProjectCanPublishAnUntargetedJobEvent() throws Exception {
        // What a cron script would send with: redis-cli PUBLISH executions '<this>'
        ExecutionEvent event = codec.decodeExecution(
                "{\"event\":\"job.succeeded\",\"execution_id\":\"backup-2024-01-01\",\"job\":\"nightly_backup\","
                        + "\"records_processed\":120,\"duration_seconds\":3}");

        assertThat(event.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(event.symbol()).isNull();
        assertThat(event.timeframe()).isNull();
        assertThat(event.batchRunId()).isNull();
        assertThat(event.durationSeconds()).isEqualTo(3.0);
        assertThat(event.timestamp()).isEqualTo(RECEIPT);
    }

    @ParameterizedTest
    @CsvSource({"run.started,RUNNING", "run.progress,RUNNING", "run.completed,COMPLETED", "run.failed,FAILED",
            "run.cancelled,CANCELLED", "job.started,RUNNING", "job.succeeded,COMPLETED", "job.failed,FAILED"})
    void statusIsImpliedByTheEventWhenAbsent(String eventName, ExecutionStatus implied) throws Exception {
        ExecutionEvent event = codec.decodeExecution("{\"event\":\"" + eventName
                + "\",\"batch_run_id\":\"r\",\"execution_id\":\"e\",\"job\":\"j\"}");

        assertThat(event.status()).isEqualTo(implied);
        assertThat(event.isRunLevel()).isEqualTo(eventName.startsWith("run."));
    }

    @Test
    void explicitStatusWinsAndIsCaseInsensitive() throws Exception {
        ExecutionEvent event = codec.decodeExecution(
                "{\"event\":\"run.completed\",\"batch_run_id\":\"r\",\"status\":\"Cancelled\"}");

        assertThat(event.status()).isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void encodesSnakeCaseAndLeavesAbsentFieldsOut() throws Exception {
        ExecutionEvent event = ExecutionEvent.job(ExecutionEventType.JOB_STARTED, "e-1", "fetch_prices")
                .symbol("AAPL").attempt(1).timestamp(Instant.parse("2024-01-01T12:00:00Z")).build();

        JsonNode wire = codec.mapper().readTree(codec.encode(event));

        assertThat(wire.fieldNames()).toIterable().containsExactlyInAnyOrder("event", "execution_id", "job",
                "symbol", "status", "attempt", "timestamp");
        assertThat(wire.get("event").textValue()).isEqualTo("job.started");
        assertThat(wire.get("status").textValue()).isEqualTo("running");
    }

    static Stream<Arguments> invalidExecutionEvents() {
        return Stream.of(
                arguments("not JSON", "run.started", "not valid JSON"),
                arguments("array", "[]", "not a JSON object: got an array"),
                arguments("missing event", "{\"batch_run_id\":\"r\"}", "missing field 'event' (allowed: run.started"),
                arguments("event number", "{\"event\":1}", "field 'event' must be a string, got a number"),
                arguments("unknown event", "{\"event\":\"run.exploded\",\"batch_run_id\":\"r\"}",
                        "unknown event 'run.exploded' (allowed: run.started, run.progress, run.completed, run.failed, "
                                + "run.cancelled, job.started, job.succeeded, job.failed)"),
                arguments("run without batch id", "{\"event\":\"run.started\"}",
                        "missing field 'batch_run_id': required for a run event"),
                arguments("run with blank batch id", "{\"event\":\"run.failed\",\"batch_run_id\":\" \"}",
                        "missing field 'batch_run_id': required for a run event"),
                arguments("job without execution id", "{\"event\":\"job.started\",\"job\":\"j\"}",
                        "missing field 'execution_id': required for a job event"),
                arguments("job without job", "{\"event\":\"job.succeeded\",\"execution_id\":\"e\"}",
                        "missing field 'job': required for a job event"),
                arguments("unknown status", "{\"event\":\"job.started\",\"execution_id\":\"e\",\"job\":\"j\",\"status\":\"done\"}",
                        "unknown status 'done' (allowed: running, completed, failed, cancelled)"),
                arguments("attempt as string", "{\"event\":\"job.started\",\"execution_id\":\"e\",\"job\":\"j\",\"attempt\":\"1\"}",
                        "field 'attempt' must be a whole number, got a string"),
                arguments("attempt fraction", "{\"event\":\"job.started\",\"execution_id\":\"e\",\"job\":\"j\",\"attempt\":1.5}",
                        "field 'attempt' must be a whole number, got a number"),
                arguments("attempt beyond int", "{\"event\":\"job.started\",\"execution_id\":\"e\",\"job\":\"j\",\"attempt\":9999999999}",
                        "field 'attempt'"),
                arguments("total jobs beyond int", "{\"event\":\"run.progress\",\"batch_run_id\":\"r\",\"total_jobs\":-3000000000}",
                        "field 'total_jobs'"),
                arguments("records beyond long", "{\"event\":\"run.completed\",\"batch_run_id\":\"r\",\"records_processed\":99999999999999999999}",
                        "field 'records_processed' must be a whole number"),
                arguments("duration as text", "{\"event\":\"job.succeeded\",\"execution_id\":\"e\",\"job\":\"j\",\"duration_seconds\":\"3s\"}",
                        "field 'duration_seconds' must be a number, got a string"),
                arguments("duration overflow", "{\"event\":\"job.succeeded\",\"execution_id\":\"e\",\"job\":\"j\",\"duration_seconds\":1e400}",
                        "field 'duration_seconds'"),
                arguments("started_at bad", "{\"event\":\"run.started\",\"batch_run_id\":\"r\",\"started_at\":\"soon\"}",
                        "field 'started_at' is not an ISO-8601 date-time: 'soon'"),
                arguments("completed_at object", "{\"event\":\"run.completed\",\"batch_run_id\":\"r\",\"completed_at\":{}}",
                        "field 'completed_at' must be an ISO-8601 date-time string, got an object"),
                arguments("timestamp overflow", "{\"event\":\"run.completed\",\"batch_run_id\":\"r\",\"timestamp\":1e400}",
                        "field 'timestamp'"),
                arguments("deadline bad", "{\"event\":\"run.progress\",\"batch_run_id\":\"r\",\"deadline\":\"later\"}",
                        "field 'deadline' is not an ISO-8601 date-time: 'later'"),
                arguments("will_retry text", "{\"event\":\"job.failed\",\"execution_id\":\"e\",\"job\":\"j\",\"will_retry\":\"yes\"}",
                        "field 'will_retry' must be true or false, got a string"),
                arguments("symbol number", "{\"event\":\"job.started\",\"execution_id\":\"e\",\"job\":\"j\",\"symbol\":5}",
                        "field 'symbol' must be a string, got a number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExecutionEvents")
    void rejectsWithItsSpecificReason(String name, String payload, String reason) {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> codec.decodeExecution(payload));

        assertThat(e).as("decoding %s must be rejected", name).isNotNull();
        assertThat(e.reason()).contains(reason);
    }
}
