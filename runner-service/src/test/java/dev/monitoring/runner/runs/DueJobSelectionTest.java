package dev.monitoring.runner.runs;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.TestJobs;
import dev.monitoring.testsupport.Resp;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No job can starve: never-succeeded first, then failed, then the stalest, one batch at a time. */
@QuarkusTest
class DueJobSelectionTest {
    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final RunRepository repository;
    private final RunnerTables tables;
    private final OrphanedRuns orphanedRuns;
    private final RunScheduler scheduler;
    private final int batchSize;
    private final ChannelsConfig channels;
    private final String redisHosts;

    DueJobSelectionTest(JobCatalog catalog, RunCoordinator coordinator, RunRepository repository, RunnerTables tables,
                        OrphanedRuns orphanedRuns, RunScheduler scheduler, ChannelsConfig channels,
                        @ConfigProperty(name = "runner.batch.size") int batchSize,
                        @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts) {
        this.channels = channels;
        this.redisHosts = redisHosts;
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.repository = repository;
        this.tables = tables;
        this.orphanedRuns = orphanedRuns;
        this.batchSize = batchSize;
    }

    @BeforeEach
    void noHistory() {
        coordinator.cancel();
        tables.clear();
    }

    @Test
    void fiftyDueJobsInBatchesOfTenWithOneFailingJob() {
        assertThat(batchSize).isEqualTo(10);
        List<JobDefinition> jobs = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> jobs.add(TestJobs.demo(String.format("job-%02d", i), Duration.ofMillis(5),
                i == 7 ? 1.0 : 0.0, List.of())));
        catalog.replace(jobs);

        Set<String> executed = new HashSet<>();
        for (int run = 1; run <= 5; run++) {
            RunRecord record = runToTheEnd();
            assertThat(record.executions()).hasSize(10);
            record.executions().forEach(e -> executed.add(e.job()));
        }
        assertThat(executed).hasSize(50);

        // Every succeeded job is due again (their cron fires every second): the failed one must still come first.
        await().atMost(Duration.ofSeconds(3)).until(() ->
                DueJobSelector.select(jobs, repository.loadStates(), Instant.now(), 50, false).size() == 50);
        List<WorkItem> next = DueJobSelector.select(jobs, repository.loadStates(), Instant.now(), batchSize, false);
        assertThat(next).hasSize(10);
        assertThat(next.get(0).job().name()).isEqualTo("job-07");
        assertThat(next.subList(1, 10)).allSatisfy(w -> assertThat(w.state().lastStatus()).isEqualTo("succeeded"));

        RunRecord sixth = runToTheEnd();
        assertThat(sixth.executions()).extracting(RunRecord.ExecutionRecord::job).contains("job-07");
        assertThat(sixth.executions()).filteredOn(e -> e.job().equals("job-07")).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo("failed"));
    }

    @Test
    void theDailyFullRunTakesEveryTargetEvenWhenNothingIsDue() {
        List<JobDefinition> jobs = new ArrayList<>();
        IntStream.range(0, 15).forEach(i -> jobs.add(new JobDefinition("hourly-" + i, null,
                TestJobs.demo("x", Duration.ofMillis(5), 0, List.of()).demo(), List.of(), "0 0 0 1 1 ?",
                Duration.ofSeconds(5), 1, Duration.ZERO, null, null, null, null, null)));
        catalog.replace(jobs);
        assertThat(runToTheEnd().executions()).hasSize(10);
        assertThat(runToTheEnd().executions()).hasSize(5);

        // Nothing is due before next new year: a scheduled run finds no work...
        scheduler.scheduledRun();
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.current().isEmpty());
        assertThat(repository.recentRuns(1).get(0).total()).isZero();

        // ...the full run takes every job, beyond the batch size.
        scheduler.fullRun();
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.current().isEmpty());
        RunRecord full = repository.findRun(repository.recentRuns(1).get(0).id()).orElseThrow();
        assertThat(full.trigger()).isEqualTo("full");
        assertThat(full.executions()).hasSize(15);
        assertThat(full.status()).isEqualTo("completed");
    }

    @Test
    void aFailedJobIsDueAtItsRetryTimeNotAtItsNextCron() {
        JobDefinition hourly = new JobDefinition("hourly", null, TestJobs.demo("x", Duration.ZERO, 0, List.of()).demo(),
                List.of(), "0 0 * * * ?", Duration.ofSeconds(5), 1, Duration.ZERO, null, null, null, null, null);
        Instant now = Instant.parse("2026-01-01T10:00:30Z");
        JobState failed = new JobState("hourly", dev.monitoring.runner.jobs.Target.NONE, now.minusSeconds(20), null,
                "failed", now.plusSeconds(60), 1);
        JobState succeeded = new JobState("hourly", dev.monitoring.runner.jobs.Target.NONE, now.minusSeconds(20),
                now.minusSeconds(10), "succeeded", null, 0);

        assertThat(DueJobSelector.dueAt(hourly, failed, now)).isEqualTo(now.plusSeconds(60));
        assertThat(DueJobSelector.dueAt(hourly, succeeded, now)).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
        assertThat(DueJobSelector.isDue(hourly, JobState.never("hourly", dev.monitoring.runner.jobs.Target.NONE), now)).isTrue();
    }

    @Test
    void aRunLeftRunningByADeadRunnerIsMarkedFailedAtStartUpAsOfItsLastSignOfLifeAndSoIsItsRunningJob() {
        // started 10 h ago, last progress 9 h ago, its last execution started 8 h ago: the runner died about then
        Instant started = Instant.now().minus(Duration.ofHours(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant lastExecution = started.plus(Duration.ofHours(2));
        tables.sql("INSERT INTO runner.batch_run (id, status, trigger, started_at, updated_at) "
                + "VALUES ('orphan-1', 'running', 'scheduled', '" + started + "', '" + started.plus(Duration.ofHours(1)) + "')");
        tables.sql("INSERT INTO runner.execution (id, batch_run_id, job, status, started_at, finished_at) VALUES "
                + "('orphan-1-a', 'orphan-1', 'quick', 'succeeded', '" + started + "', '" + started.plusSeconds(60) + "'), "
                + "('orphan-1-b', 'orphan-1', 'slow', 'running', '" + lastExecution + "', NULL)");

        URI redisUri = URI.create(redisHosts.split(",")[0]);
        List<Resp.Subscription.Message> received = new ArrayList<>();
        try (Resp.Subscription subscriber = Resp.tcp(redisUri.getHost(), redisUri.getPort())
                .subscription(channels.executions())) {
            assertThat(orphanedRuns.failOrphans()).containsExactly("orphan-1");
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                subscriber.queue.drainTo(received);
                return received.stream().anyMatch(m -> m.payload().contains("\"run.failed\""));
            });
        }
        String failed = received.stream().map(Resp.Subscription.Message::payload)
                .filter(p -> p.contains("\"run.failed\"")).findFirst().orElseThrow();
        assertThat(failed).as("the event's end and duration: the last sign of life too")
                .contains("\"completed_at\":\"" + lastExecution + "\"").contains("\"duration_seconds\":7200");

        // the execution left running ends in the monitor too (before, it stayed "running" there for good)
        List<String> jobFailed = received.stream().map(Resp.Subscription.Message::payload)
                .filter(p -> p.contains("\"job.failed\"")).toList();
        assertThat(jobFailed).as("job.failed events, published before the run's").singleElement().satisfies(p -> assertThat(p)
                .contains("\"execution_id\":\"orphan-1-b\"", "\"job\":\"slow\"", "\"batch_run_id\":\"orphan-1\"",
                        "\"error_message\":\"" + OrphanedRuns.MESSAGE + "\"", "\"completed_at\":\"" + lastExecution + "\"")
                .doesNotContain("\"symbol\""));

        RunRecord run = repository.findRun("orphan-1").orElseThrow();
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.message()).isEqualTo(OrphanedRuns.MESSAGE);
        assertThat(run.finishedAt()).as("its last sign of life, not the time it was found").isEqualTo(lastExecution);
        RunRecord.ExecutionRecord slow = run.executions().stream().filter(e -> e.id().equals("orphan-1-b")).findFirst().orElseThrow();
        assertThat(slow.status()).isEqualTo("failed");
        assertThat(slow.finishedAt()).isEqualTo(lastExecution);
    }

    private RunRecord runToTheEnd() {
        StartResult result = coordinator.start(Trigger.SCHEDULED, null, false);
        assertThat(result).isInstanceOf(StartResult.Started.class);
        String id = ((StartResult.Started) result).batchRunId();
        await().atMost(Duration.ofSeconds(15)).until(() -> coordinator.current().isEmpty());
        RunRecord record = repository.findRun(id).orElseThrow();
        assertThat(record.status()).isEqualTo("completed");
        return record;
    }
}
