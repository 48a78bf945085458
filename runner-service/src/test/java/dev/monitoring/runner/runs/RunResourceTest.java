package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class RunResourceTest {
    private static final List<Target> FOUR = List.of(new Target("AAPL", "1d"), new Target("MSFT", "1d"),
            new Target("AAPL", "1h"), new Target("MSFT", "1h"));

    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final RunnerTables tables;
    private final RedisDataSource redis;
    private final String lockKey;

    RunResourceTest(JobCatalog catalog, RunCoordinator coordinator, RunnerTables tables, RedisDataSource redis,
                    @ConfigProperty(name = "runner.lock.key") String lockKey) {
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.tables = tables;
        this.redis = redis;
        this.lockKey = lockKey;
    }

    @BeforeEach
    void demoJobs() {
        coordinator.cancel();
        tables.clear();
        catalog.replace(List.of(
                TestJobs.demo("alpha", Duration.ofMillis(600), 0, FOUR),
                TestJobs.demo("beta", Duration.ofMillis(600), 0, FOUR)));
    }

    @AfterEach
    void stopRuns() {
        coordinator.cancel();
    }

    @Test
    void aSecondStartIsAConflictUnlessForced() {
        String first = startRun("");
        given()
                .when().post("/api/runs")
                .then()
                .statusCode(409)
                .contentType(ContentType.JSON)
                .body("error", equalTo("a batch run is already running"))
                .body("batch_run_id", equalTo(first));

        String second = startRun("?force=true");

        assertThat(second).isNotEqualTo(first);
        given().when().get("/api/runs/" + first).then().statusCode(200).body("status", equalTo("cancelled"));
        given().when().get("/api/runs/current").then().body("batch_run_id", equalTo(second));
    }

    @Test
    void currentShowsGrowingProgressAndCancelEndsTheRun() {
        String id = startRun("");
        Map<String, Object> early = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(this::current, c -> "running".equals(c.get("status")) && jobs(c).get("completed") >= 1);
        assertThat(early).containsEntry("batch_run_id", id).containsKeys("started_at", "elapsed_seconds", "current_job");
        assertThat((String) early.get("current_portfolio")).matches("(AAPL|MSFT)/1[dh]");
        double before = ((Number) early.get("progress_percent")).doubleValue();
        assertThat(before).isLessThan(100.0);
        assertThat(jobs(early).get("total")).isEqualTo(8);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> ((Number) current().getOrDefault("progress_percent", 0)).doubleValue() > before);

        given()
                .when().post("/api/runs/current/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("batch_run_id", equalTo(id));
        given().when().get("/api/runs/current").then()
                .body("status", equalTo("idle"))
                .body("message", equalTo("No batch running"));
        given().when().get("/api/runs/" + id).then().body("status", equalTo("cancelled"));
    }

    @Test
    void aFinishedRunKeepsItsPerJobResultsAndShowsInTheHistory() {
        String id = startRun("?job=alpha");
        awaitIdle();

        Map<String, Object> run = given().when().get("/api/runs/" + id).then().statusCode(200).extract().as(Map.class);
        assertThat(run).containsEntry("status", "completed").containsEntry("trigger", "manual");
        assertThat((Map<String, Object>) run.get("jobs")).containsEntry("total", 4).containsEntry("completed", 4);
        List<Map<String, Object>> results = (List<Map<String, Object>>) run.get("results");
        assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r)
                .containsEntry("job", "alpha").containsEntry("status", "completed").containsEntry("attempts", 1));
        assertThat(results).extracting(r -> r.get("symbol") + "/" + r.get("timeframe"))
                .containsExactlyInAnyOrder("AAPL/1d", "MSFT/1d", "AAPL/1h", "MSFT/1h");

        given()
                .when().get("/api/runs?limit=1")
                .then()
                .statusCode(200)
                .body("runs[0].batch_run_id", equalTo(id))
                .body("runs[0].status", equalTo("completed"))
                .body("runs.size()", equalTo(1));
    }

    @Test
    void theWatchdogFailsAStuckExecutionAndKillsItsProcess() {
        String marker = "31." + (int) (Math.random() * 1000);
        catalog.replace(List.of(TestJobs.shell("stuck", "echo started; sleep " + marker, Duration.ofSeconds(60), 3,
                null, null)));
        String id = startRun("?job=stuck");

        awaitIdle();

        given()
                .when().get("/api/runs/" + id)
                .then()
                .body("status", equalTo("completed"))
                .body("jobs.failed", equalTo(1))
                .body("results[0].status", equalTo("failed"))
                .body("results[0].attempts", equalTo(1))
                .body("results[0].error_type", equalTo("WatchdogTimeout"))
                .body("results[0].error_message", equalTo("timed out (no update for 3 seconds)"));
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker)).filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    @Test
    void aCommandThatCannotStartFailsItsExecutionAndTheRunGoesOn() {
        String missing = "no-such-program-" + UUID.randomUUID();
        catalog.replace(List.of(
                TestJobs.command("missing", List.of(missing, "--all"), Duration.ofSeconds(10), 3),
                TestJobs.demo("alpha", Duration.ofMillis(300), 0, FOUR)));
        String id = startRun("");

        awaitIdle();

        Map<String, Object> run = given().when().get("/api/runs/" + id).then().statusCode(200).extract().as(Map.class);
        assertThat(run).containsEntry("status", "completed");
        assertThat((Map<String, Object>) run.get("jobs")).containsEntry("total", 5).containsEntry("completed", 4)
                .containsEntry("failed", 1);
        List<Map<String, Object>> results = (List<Map<String, Object>>) run.get("results");
        assertThat(results).filteredOn(r -> r.get("job").equals("alpha")).hasSize(4)
                .allSatisfy(r -> assertThat(r).containsEntry("status", "completed"));
        assertThat(results).filteredOn(r -> r.get("job").equals("missing")).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("status", "failed").containsEntry("attempts", 1)
                    .containsEntry("error_type", "CommandNotStarted").containsEntry("exit_code", null);
            assertThat((String) r.get("error_message")).startsWith("cannot start " + missing + ": ")
                    .containsIgnoringCase("no such file or directory");
        });
    }

    @Test
    void aRunHeldByAnotherReplicaIsAConflictEvenWhenForced() {
        redis.execute("SET", lockKey, "run-of-another-replica", "PX", "10000");
        try {
            given()
                    .when().post("/api/runs?force=true")
                    .then()
                    .statusCode(409)
                    .body("error", equalTo("a batch run is active on another runner replica"))
                    .body("batch_run_id", equalTo("run-of-another-replica"));
        } finally {
            redis.execute("DEL", lockKey);
        }
    }

    @Test
    void badParametersAre400WithAJsonReason() {
        given().when().get("/api/runs?limit=abc").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("'limit' must be a whole number between 1 and 500, not 'abc'"));
        given().when().get("/api/runs?limit=0").then().statusCode(400).body("error", notNullValue());
        given().when().post("/api/runs?force=maybe").then().statusCode(400)
                .body("error", equalTo("'force' must be true or false, not 'maybe'"));
        given().when().post("/api/runs?job=nope").then().statusCode(400)
                .body("error", equalTo("unknown job 'nope'"))
                .body("known_jobs", hasItems("alpha", "beta"));
        given().when().get("/api/runs/no-such-run").then().statusCode(404).body("error", equalTo("no batch run 'no-such-run'"));
        given().urlEncodingEnabled(false).when().get("/api/runs/%00").then().statusCode(404).contentType(ContentType.JSON);
        given().when().post("/api/runs/current/cancel").then().statusCode(404).body("error", equalTo("No batch running"));
        given().when().get("/api/nothing-here").then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("Not Found"));
        given().when().delete("/api/runs").then().statusCode(405).contentType(ContentType.JSON).body("error", notNullValue());
    }

    @Test
    void theCatalogListsTheJobsWithTheirNextTime() {
        given()
                .when().get("/api/jobs/catalog")
                .then()
                .statusCode(200)
                .body("jobs.name", equalTo(List.of("alpha", "beta")))
                .body("jobs[0].kind", equalTo("demo"))
                .body("jobs[0].category", equalTo("pattern"))
                .body("jobs[0].next_scheduled_at", notNullValue())
                .body("jobs[0].targets.size()", equalTo(4))
                .body("jobs[0].targets[0].due_at", notNullValue());
    }

    private String startRun(String query) {
        return given()
                .when().post("/api/runs" + query)
                .then()
                .statusCode(202)
                .body("status", equalTo("started"))
                .body("poll_url", equalTo("/api/runs/current"))
                .extract().path("batch_run_id");
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> "idle".equals(current().get("status")));
    }

    private Map<String, Object> current() {
        return given().when().get("/api/runs/current").then().statusCode(200).extract().as(Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> jobs(Map<String, Object> current) {
        return (Map<String, Integer>) current.get("jobs");
    }
}
