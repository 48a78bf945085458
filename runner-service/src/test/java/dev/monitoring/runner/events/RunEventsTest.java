package dev.monitoring.runner.events;

import dev.monitoring.model.Category;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.model.Severity;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import dev.monitoring.runner.runs.RunCoordinator;
import dev.monitoring.runner.runs.RunnerTables;
import dev.monitoring.runner.runs.StartResult;
import dev.monitoring.runner.runs.Trigger;
import dev.monitoring.testsupport.Resp;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A subscriber on the channels sees every event of a run, in order, decodable by the shared codec. */
@QuarkusTest
class RunEventsTest {
    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final RunnerTables tables;
    private final ChannelsConfig channels;
    private final EventCodec codec = new EventCodec();

    private final String redisHosts;

    RunEventsTest(JobCatalog catalog, RunCoordinator coordinator, RunnerTables tables, ChannelsConfig channels,
                  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.redis.hosts") String redisHosts) {
        this.redisHosts = redisHosts;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.tables = tables;
        this.channels = channels;
    }

    private java.net.URI redis() {
        return java.net.URI.create(redisHosts.split(",")[0]);
    }

    @BeforeEach
    void jobs() {
        coordinator.cancel();
        tables.clear();
    }

    @Test
    void everyEventOfARunArrivesInOrderWithTheDocumentedFields() throws Exception {
        catalog.replace(List.of(
                TestJobs.demo("good", Duration.ofMillis(50), 0, List.of(new Target("AAPL", "1d"), new Target("MSFT", "1d"))),
                TestJobs.shell("bad", "echo 'boom' >&2; exit 3", Duration.ofSeconds(5), 2, null, null)));

        try (Resp.Subscription subscriber = Resp.tcp(redis().getHost(), redis().getPort()).subscription(channels.executions(), channels.errors())) {
            String runId = ((StartResult.Started) coordinator.start(Trigger.MANUAL, null, false)).batchRunId();
            List<Resp.Subscription.Message> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                subscriber.queue.drainTo(received);
                return received.stream().anyMatch(m -> m.payload().contains("\"run.completed\""));
            });

            List<ExecutionEvent> executions = new ArrayList<>();
            List<ErrorEvent> errors = new ArrayList<>();
            for (Resp.Subscription.Message m : received) {
                if (m.channel().equals(channels.executions())) {
                    executions.add(codec.decodeExecution(m.payload()));
                } else {
                    errors.add(codec.decodeError(m.payload()));
                }
            }
            assertThat(executions).allSatisfy(e -> assertThat(e.batchRunId()).isEqualTo(runId));
            assertThat(executions).extracting(ExecutionEvent::event)
                    .startsWith(ExecutionEventType.RUN_STARTED).endsWith(ExecutionEventType.RUN_COMPLETED);
            assertThat(executions).filteredOn(e -> e.event() == ExecutionEventType.JOB_STARTED).hasSize(3);
            assertThat(executions).filteredOn(e -> e.event() == ExecutionEventType.JOB_SUCCEEDED).hasSize(2)
                    .allSatisfy(e -> {
                        assertThat(e.job()).isEqualTo("good");
                        assertThat(e.symbol()).isIn("AAPL", "MSFT");
                        assertThat(e.timeframe()).isEqualTo("1d");
                        assertThat(e.attempt()).isEqualTo(1);
                        assertThat(e.recordsProcessed()).isNotNull();
                        assertThat(e.durationSeconds()).isNotNull();
                        assertThat(e.status()).isEqualTo(ExecutionStatus.COMPLETED);
                    });
            ExecutionEvent failed = executions.stream().filter(e -> e.event() == ExecutionEventType.JOB_FAILED)
                    .findFirst().orElseThrow();
            assertThat(failed.job()).isEqualTo("bad");
            assertThat(failed.errorMessage()).isEqualTo("exited with code 3: boom");
            assertThat(failed.freshSeconds()).isEqualTo(60L);
            assertThat(failed.staleSeconds()).isEqualTo(300L);
            // Per execution: started before its end; run.progress after each of the 3 executions, totals growing.
            for (String executionId : executions.stream().filter(e -> e.executionId() != null)
                    .map(ExecutionEvent::executionId).distinct().toList()) {
                assertThat(executions).filteredOn(e -> executionId.equals(e.executionId())).extracting(ExecutionEvent::event)
                        .first().isEqualTo(ExecutionEventType.JOB_STARTED);
            }
            List<ExecutionEvent> progress = executions.stream()
                    .filter(e -> e.event() == ExecutionEventType.RUN_PROGRESS).toList();
            assertThat(progress).hasSize(3);
            assertThat(progress).extracting(e -> e.completedJobs() + e.failedJobs()).containsExactly(1, 2, 3);
            ExecutionEvent completed = executions.get(executions.size() - 1);
            assertThat(completed.totalJobs()).isEqualTo(3);
            assertThat(completed.completedJobs()).isEqualTo(2);
            assertThat(completed.failedJobs()).isEqualTo(1);
            assertThat(completed.progressPercent()).isEqualTo(100.0);
            assertThat(completed.durationSeconds()).isNotNull();

            assertThat(errors).hasSize(1);
            ErrorEvent error = errors.get(0);
            assertThat(error.errorType()).isEqualTo("NonZeroExit");
            assertThat(error.errorMessage()).isEqualTo("exited with code 3: boom");
            assertThat(error.errorTraceback()).isEqualTo("boom");
            assertThat(error.severity()).isEqualTo(Severity.ERROR);
            assertThat(error.category()).isEqualTo(Category.DATABASE);
            assertThat(error.context().component()).isEqualTo("runner");
            assertThat(error.context().operation()).isEqualTo("bad");
            assertThat(error.context().metadata()).containsEntry("batch_run_id", runId).containsEntry("exit_code", 3);
        }
    }

    @Test
    void aFailedAttemptThatWillBeRetriedSaysSoAndTheLastOneDoesNot() throws Exception {
        catalog.replace(List.of(TestJobs.shell("flaky", "echo 'connection reset by peer' >&2; exit 1", Duration.ofSeconds(5), 3, null, null)));

        try (Resp.Subscription subscriber = Resp.tcp(redis().getHost(), redis().getPort()).subscription(channels.executions())) {
            coordinator.start(Trigger.MANUAL, "flaky", false);
            List<Resp.Subscription.Message> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                subscriber.queue.drainTo(received);
                return received.stream().anyMatch(m -> m.payload().contains("\"run.completed\""));
            });
            List<ExecutionEvent> failed = new ArrayList<>();
            for (Resp.Subscription.Message m : received) {
                ExecutionEvent e = codec.decodeExecution(m.payload());
                if (e.event() == ExecutionEventType.JOB_FAILED) {
                    failed.add(e);
                }
            }
            // the monitor's checks end a run only on the last: the execution id stays, the attempts go on
            assertThat(failed).extracting(ExecutionEvent::attempt).containsExactly(1, 2, 3);
            assertThat(failed).extracting(ExecutionEvent::willRetry).containsExactly(true, true, null);
            assertThat(failed).extracting(ExecutionEvent::executionId).containsOnly(failed.get(0).executionId());
        }
    }

    @Test
    void theLastAttemptIsCriticalAfterThreeFailedRunsInARow() throws Exception {
        catalog.replace(List.of(TestJobs.shell("always-down", "echo 'HTTP 503 Service Unavailable' >&2; exit 1",
                Duration.ofSeconds(5), 2, null, null)));

        try (Resp.Subscription subscriber = Resp.tcp(redis().getHost(), redis().getPort()).subscription(channels.errors())) {
            List<ErrorEvent> errors = new ArrayList<>();
            IntStream.range(0, 3).forEach(i -> {
                coordinator.start(Trigger.MANUAL, "always-down", false);
                await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.current().isEmpty());
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                subscriber.queue.forEach(m -> { });
                return subscriber.queue.size() >= 6;
            });
            for (Resp.Subscription.Message m : subscriber.queue) {
                errors.add(codec.decodeError(m.payload()));
            }
            // Two attempts per run (503 is transient): the first of each run is an error, the last critical on run 3.
            assertThat(errors).extracting(ErrorEvent::severity).containsExactly(
                    Severity.ERROR, Severity.ERROR, Severity.ERROR, Severity.ERROR, Severity.ERROR, Severity.CRITICAL);
        }
    }
}
