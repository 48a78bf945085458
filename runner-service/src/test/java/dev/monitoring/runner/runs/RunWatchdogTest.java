package dev.monitoring.runner.runs;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.model.Severity;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.jobs.CommandSpec;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import dev.monitoring.testsupport.Resp;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The run-level watchdog: a run that makes no progress at all is failed, its lock released, and its failure
 * published. The executions themselves cannot be the silent part here (a silent execution is the per-execution
 * watchdog's, see {@link RunResourceTest}): the run stalls on a database that does not answer, as a wedged
 * PostgreSQL would, while every running execution waits to be recorded.
 */
@QuarkusTest
class RunWatchdogTest {
    private static final String TIMED_OUT = "timed out (no update for 3 seconds)";
    private static final List<Target> FOUR = List.of(new Target("AAPL", "1d"), new Target("MSFT", "1d"),
            new Target("AAPL", "1h"), new Target("MSFT", "1h"));

    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final RunnerTables tables;
    private final DataSource dataSource;
    private final ChannelsConfig channels;
    private final RunnerConfig config;
    private final RedisDataSource redis;
    private final String lockKey;
    private final String redisHosts;
    private final EventCodec codec = new EventCodec();

    RunWatchdogTest(JobCatalog catalog, RunCoordinator coordinator, RunnerTables tables, DataSource dataSource,
                    ChannelsConfig channels, RunnerConfig config, RedisDataSource redis,
                    @ConfigProperty(name = "runner.lock.key") String lockKey,
                    @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts) {
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.tables = tables;
        this.dataSource = dataSource;
        this.channels = channels;
        this.config = config;
        this.redis = redis;
        this.lockKey = lockKey;
        this.redisHosts = redisHosts;
    }

    @BeforeEach
    void noRun() {
        coordinator.cancel();
        tables.clear();
    }

    @AfterEach
    void stopRuns() {
        coordinator.cancel();
    }

    @Test
    void aRunWithoutProgressIsFailedItsLockReleasedAndItsFailurePublished(@TempDir Path started) throws Exception {
        int concurrency = config.batch().concurrency();
        assertThat(concurrency).as("one target must be left pending").isLessThan(FOUR.size());
        String marker = "37." + (int) (Math.random() * 1000);
        // Leaves a file per target it ever starts on, then stays silent: no process of this job may ever run here.
        catalog.replace(List.of(new JobDefinition("wedged", new CommandSpec(List.of("sh", "-c",
                "touch \"" + started + "/$JOB_SYMBOL-$JOB_TIMEFRAME\"; echo started; sleep " + marker), null, Map.of()),
                null, FOUR, "* * * * * ?", Duration.ofSeconds(60), 3, Duration.ofMillis(100), null, null, null, null,
                List.of())));

        URI redisUri = URI.create(redisHosts.split(",")[0]);
        List<Resp.Subscription.Message> received = new ArrayList<>();
        String id;
        try (Resp.Subscription subscriber = Resp.tcp(redisUri.getHost(), redisUri.getPort())
                .subscription(channels.executions(), channels.errors());
             Connection wedge = dataSource.getConnection()) {
            // The database stops answering the runner's inserts of executions (reads and run updates still pass).
            wedge.setAutoCommit(false);
            try (Statement s = wedge.createStatement()) {
                s.execute("LOCK TABLE runner.execution IN EXCLUSIVE MODE");
            }
            try {
                id = startRun("?job=wedged");
                await("every running execution waits on the database").atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(100)).until(this::insertsWaitingOnTheLock, n -> n == concurrency);
                // Silent executions are stopped first; the run, with nothing left moving, goes next.
                await("the run-level watchdog stops the run").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> coordinator.current().map(BatchRun::isStopped).orElse(false));
            } finally {
                wedge.rollback();
            }

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "idle".equals(given().when().get("/api/runs/current").then().statusCode(200)
                            .extract().path("status")));
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                subscriber.queue.drainTo(received);
                return received.stream().anyMatch(m -> m.channel().equals(channels.errors())
                        && m.payload().contains("\"batch-run\""));
            });
        }

        Map<String, Object> run = given().when().get("/api/runs/" + id).then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("message", equalTo(TIMED_OUT))
                .body("finished_at", notNullValue())
                .body("jobs.total", equalTo(FOUR.size()))
                .body("jobs.completed", equalTo(0))
                .body("jobs.failed", equalTo(concurrency))
                .extract().as(Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) run.get("results");
        // The pending target never started; the stopped ones were recorded failed, not retried, never run.
        assertThat(results).hasSize(concurrency).allSatisfy(r -> assertThat(r)
                .containsEntry("status", "failed").containsEntry("attempts", 1)
                .containsEntry("error_type", "WatchdogTimeout").containsEntry("error_message", TIMED_OUT));
        try (Stream<Path> files = Files.list(started)) {
            assertThat(files).as("processes started by the stopped run").isEmpty();
        }
        assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))).isEmpty();

        List<ExecutionEvent> executions = new ArrayList<>();
        List<ErrorEvent> errors = new ArrayList<>();
        for (Resp.Subscription.Message m : received) {
            if (m.channel().equals(channels.executions())) {
                executions.add(codec.decodeExecution(m.payload()));
            } else {
                errors.add(codec.decodeError(m.payload()));
            }
        }
        assertThat(executions).allSatisfy(e -> assertThat(e.batchRunId()).isEqualTo(id));
        assertThat(executions).extracting(ExecutionEvent::event)
                .startsWith(ExecutionEventType.RUN_STARTED).endsWith(ExecutionEventType.RUN_FAILED)
                .doesNotContain(ExecutionEventType.RUN_COMPLETED, ExecutionEventType.JOB_SUCCEEDED);
        assertThat(executions).filteredOn(e -> e.event() == ExecutionEventType.JOB_FAILED).hasSize(concurrency)
                .allSatisfy(e -> assertThat(e.errorMessage()).isEqualTo(TIMED_OUT));
        ExecutionEvent failed = executions.get(executions.size() - 1);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.errorMessage()).isEqualTo(TIMED_OUT);
        assertThat(failed.totalJobs()).isEqualTo(FOUR.size());
        assertThat(failed.failedJobs()).isEqualTo(concurrency);
        assertThat(failed.durationSeconds()).isNotNull();

        ErrorEvent runError = errors.stream().filter(e -> "batch-run".equals(e.context().operation()))
                .findFirst().orElseThrow();
        assertThat(runError.errorType()).isEqualTo("WatchdogTimeout");
        assertThat(runError.errorMessage()).isEqualTo(TIMED_OUT);
        assertThat(runError.severity()).isEqualTo(Severity.ERROR);
        assertThat(runError.context().component()).isEqualTo("runner");
        assertThat(runError.context().metadata()).containsEntry("batch_run_id", id);
        assertThat(errors).filteredOn(e -> "wedged".equals(e.context().operation())).hasSize(concurrency);

        // The lock is gone with the run: a new one starts at once, without force.
        assertThat(redis.execute("EXISTS", lockKey).toInteger()).isZero();
        catalog.replace(List.of(TestJobs.demo("after", Duration.ofMillis(50), 0, List.of(new Target("AAPL", "1d")))));
        String next = startRun("?job=after");
        assertThat(next).isNotEqualTo(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.current().isEmpty());
        given().when().get("/api/runs/" + next).then().body("status", equalTo("completed"));
    }

    /** Sessions of the runner whose insert of an execution waits on the wedge's table lock. */
    private int insertsWaitingOnTheLock() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                     + "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO runner.execution%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String startRun(String query) {
        return given()
                .when().post("/api/runs" + query)
                .then()
                .statusCode(202)
                .body("status", equalTo("started"))
                .extract().path("batch_run_id");
    }
}
