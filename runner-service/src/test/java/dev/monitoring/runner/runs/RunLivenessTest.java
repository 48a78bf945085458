package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.CommandSpec;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code /q/health/live} with a 2 s stall bound: the run loop and the watchdog, each held for real (a table lock
 * the coordinator's statement waits on, executions that cannot wind down after a cancel, the watchdog's schedule
 * paused), go DOWN within the bound and come back UP once released; an idle runner and a run whose execution is slow
 * (silent for twice the bound, within the watchdog's timeout) stay UP.
 */
@QuarkusTest
@TestProfile(RunLivenessTest.ShortStallBound.class)
class RunLivenessTest {
    private static final Duration BOUND = Duration.ofSeconds(2);
    /** The watchdog checks every second (test profile): a tick, then the bound. */
    private static final Duration WATCHDOG_DUE = Duration.ofSeconds(1).plus(BOUND);
    private static final String RUN_LOOP = "checks.find { it.name == 'workers' }.data.'" + RunLoop.RUN_LOOP + "'";
    private static final String WATCHDOG = "checks.find { it.name == 'workers' }.data.'" + RunScheduler.WATCHDOG + "'";
    private static final Pattern SILENCE = Pattern.compile("no progress for (\\d+) ms");
    private static final List<Target> THREE = List.of(new Target("AAPL", "1d"), new Target("MSFT", "1d"),
            new Target("AAPL", "1h"));

    /** A short stall bound; the watchdog's timeout above the silences of the slow job, as 5 min is in production. */
    public static class ShortStallBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monitoring.liveness.stall-after", "2s",
                    "runner.watchdog.no-progress-timeout", "10S");
        }
    }

    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final RunnerTables tables;
    private final DataSource dataSource;
    private final Scheduler scheduler;

    RunLivenessTest(JobCatalog catalog, RunCoordinator coordinator, RunnerTables tables, DataSource dataSource,
                    Scheduler scheduler) {
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.tables = tables;
        this.dataSource = dataSource;
        this.scheduler = scheduler;
    }

    @BeforeEach
    void liveAndIdle() {
        scheduler.resume(RunScheduler.WATCHDOG);
        coordinator.cancel();
        tables.clear();
        await().atMost(Duration.ofSeconds(10)).until(() -> live().statusCode() == 200);
    }

    @AfterEach
    void release() {
        scheduler.resume(RunScheduler.WATCHDOG);
        coordinator.cancel();
    }

    @Test
    void anIdleRunnerStaysLiveForLongerThanTheBound() {
        await().during(BOUND.multipliedBy(3)).atMost(BOUND.multipliedBy(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> live().statusCode() == 200);

        live().then()
                .body("status", equalTo("UP"))
                .body(RUN_LOOP, startsWith("idle"))
                .body(WATCHDOG, startsWith("running"));
    }

    @Test
    void aSlowExecutionKeepsTheRunLive() {
        // Silent for twice the stall bound, twice, but within the watchdog's timeout: a healthy long job.
        catalog.replace(List.of(TestJobs.shell("slow", "echo start; sleep 4; echo middle; sleep 4; echo records_processed=1",
                Duration.ofSeconds(30), 1, null, null)));
        AtomicBoolean sawRunning = new AtomicBoolean();

        String id = startRun("slow");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response live = live();
            assertThat(live.statusCode()).as(live.asString()).isEqualTo(200);
            if (live.path(RUN_LOOP).toString().startsWith("running")) {
                sawRunning.set(true);
            }
            return coordinator.current().isEmpty();
        });

        assertThat(sawRunning).as("the run loop was seen running").isTrue();
        given().when().get("/api/runs/" + id).then()
                .body("status", equalTo("completed"))
                .body("jobs.completed", equalTo(1))
                .body("records_processed", equalTo(1));
        live().then().statusCode(200).body(RUN_LOOP, startsWith("idle"));
    }

    @Test
    void aCoordinatorStuckInAStatementIsStalledAndLiveAgainOnceItMoves() throws Exception {
        catalog.replace(List.of(TestJobs.demo("quick", Duration.ofMillis(100), 0, THREE)));
        String id;
        try (Connection wedge = dataSource.getConnection()) {
            // The coordinator's first statement (reading the job states to select due work) waits on this lock.
            wedge.setAutoCommit(false);
            try (Statement s = wedge.createStatement()) {
                s.execute("LOCK TABLE runner.job_state IN ACCESS EXCLUSIVE MODE");
            }
            try {
                id = startRun("quick");
                await("liveness DOWN within the bound").atMost(BOUND.plusSeconds(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> live().statusCode() == 503);
                Response down = live();
                down.then()
                        .body("status", equalTo("DOWN"))
                        .body(RUN_LOOP, startsWith("stalled"))
                        .body(WATCHDOG, startsWith("running"));
                assertSilentForAtLeast(down.path(RUN_LOOP), BOUND);
            } finally {
                wedge.rollback();
            }
        }

        await("UP again once the statement returns").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> live().statusCode() == 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.current().isEmpty());
        given().when().get("/api/runs/" + id).then()
                .body("status", equalTo("completed"))
                .body("jobs.completed", equalTo(THREE.size()));
        live().then().statusCode(200).body(RUN_LOOP, startsWith("idle"));
    }

    @Test
    void aCancelledRunWhoseExecutionsCannotWindDownIsStalled() throws Exception {
        catalog.replace(List.of(new JobDefinition("held", new CommandSpec(List.of("sh", "-c", "echo ok"), null, Map.of()),
                null, THREE, "* * * * * ?", Duration.ofSeconds(30), 1, Duration.ofMillis(100), null, null, null, null,
                List.of())));
        String id;
        CompletableFuture<String> cancel;
        try (Connection wedge = dataSource.getConnection()) {
            // Every execution waits to be recorded: a run that is live but not moving is the watchdog's to stop...
            wedge.setAutoCommit(false);
            try (Statement s = wedge.createStatement()) {
                s.execute("LOCK TABLE runner.execution IN EXCLUSIVE MODE");
            }
            try {
                id = startRun("held");
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(this::insertsWaitingOnTheLock, n -> n == THREE.size());
                await("a live run waiting on its executions stays UP").during(BOUND.plusMillis(500))
                        .atMost(BOUND.plusSeconds(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> live().statusCode() == 200);

                // ...but once stopped, a run must wind down: here nothing can move.
                cancel = CompletableFuture.supplyAsync(() -> given().when().post("/api/runs/current/cancel")
                        .then().statusCode(200).extract().path("status"));
                await("liveness DOWN within the bound").atMost(WATCHDOG_DUE.plusSeconds(2))
                        .pollInterval(Duration.ofMillis(100)).until(() -> live().statusCode() == 503);
                live().then().body(RUN_LOOP, startsWith("stalled"));
            } finally {
                wedge.rollback();
            }
        }

        await("UP again once the executions wind down").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> live().statusCode() == 200);
        assertThat(cancel.join()).isEqualTo("cancelled");
        given().when().get("/api/runs/" + id).then().body("status", equalTo("cancelled"));
        live().then().statusCode(200).body(RUN_LOOP, startsWith("idle"));
    }

    @Test
    void aWatchdogThatStopsTickingIsStalledAndLiveAgainOnceItTicks() {
        scheduler.pause(RunScheduler.WATCHDOG);

        await("liveness DOWN within a tick and the bound").atMost(WATCHDOG_DUE.plusSeconds(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> live().statusCode() == 503);
        Response down = live();
        down.then()
                .body("status", equalTo("DOWN"))
                .body(WATCHDOG, startsWith("stalled"))
                .body(RUN_LOOP, startsWith("idle"));
        assertSilentForAtLeast(down.path(WATCHDOG), WATCHDOG_DUE);

        scheduler.resume(RunScheduler.WATCHDOG);
        await("UP again at the next tick").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> live().statusCode() == 200);
    }

    /**
     * Not stalled early: the silence liveness reports is measured from the worker's last beat, which on a slow machine
     * can come well before the test's own start (a watchdog tick slow to finish, a run started before the request
     * returned), so the lower bound is checked on that figure rather than on the test's clock.
     */
    private static void assertSilentForAtLeast(String status, Duration bound) {
        Matcher m = SILENCE.matcher(status);
        assertThat(m.find()).as("'%s' names its silence", status).isTrue();
        assertThat(Long.parseLong(m.group(1))).as(status).isGreaterThanOrEqualTo(bound.toMillis());
    }

    private static Response live() {
        return ManagementInterface.given().when().get("/q/health/live").andReturn();
    }

    private String startRun(String job) {
        return given()
                .when().post("/api/runs?job=" + job)
                .then()
                .statusCode(202)
                .extract().path("batch_run_id");
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
}
