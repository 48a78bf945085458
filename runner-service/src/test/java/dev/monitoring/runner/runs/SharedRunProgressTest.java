package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * The run in progress seen and cancelled from any replica: the owner shares its progress next to the run lock and
 * honours a cancel request; a replica without the run answers from the shared snapshot and asks the owner. The
 * "other replica" is played by the test through the same Redis keys a second runner would use.
 */
@QuarkusTest
class SharedRunProgressTest {
    private static final List<Target> FOUR = List.of(new Target("AAPL", "1d"), new Target("MSFT", "1d"),
            new Target("AAPL", "1h"), new Target("MSFT", "1h"));

    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final SharedRunProgress shared;
    private final RunnerTables tables;
    private final RedisDataSource redis;
    private final String lockKey;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    SharedRunProgressTest(JobCatalog catalog, RunCoordinator coordinator, SharedRunProgress shared, RunnerTables tables,
                          RedisDataSource redis, @ConfigProperty(name = "runner.lock.key") String lockKey,
                          com.fasterxml.jackson.databind.ObjectMapper json) {
        this.json = json;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.shared = shared;
        this.tables = tables;
        this.redis = redis;
        this.lockKey = lockKey;
    }

    @BeforeEach
    void slowJobs() {
        coordinator.cancel();
        tables.clear();
        // Long enough that, after the first executions finished, the run is still going when the cancel lands
        // (it is honoured within runner.lock.share-every): 3 run at once, the 4th takes another 3 s.
        catalog.replace(List.of(TestJobs.demo("slow", Duration.ofSeconds(3), 0, FOUR)));
    }

    /** As it goes over the wire (and to the other replicas): its JSON, read back. */
    private Map<String, Object> wire(dev.monitoring.model.api.RunProgress progress) {
        return json.convertValue(progress, new com.fasterxml.jackson.core.type.TypeReference<>() {
        });
    }

    @AfterEach
    void clean() {
        coordinator.cancel();
        redis.execute("DEL", lockKey, lockKey + ":current", lockKey + ":cancel");
    }

    @Test
    void theOwnerSharesItsProgressAndHonoursACancelAskedElsewhere() {
        String id = given().when().post("/api/runs?job=slow").then().statusCode(202).extract().path("batch_run_id");

        // what another replica reads, right after the 202 and once the run made progress
        assertThat(shared.read()).get().satisfies(c -> assertThat(wire(c)).containsEntry("status", "running")
                .containsEntry("batch_run_id", id));
        Map<String, Object> later = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> wire(shared.read().orElseThrow()), c -> ((Map<?, ?>) c.get("jobs")).get("total").equals(4)
                        && ((Number) c.get("progress_percent")).doubleValue() > 0);
        assertThat(later).containsOnlyKeys("status", "batch_run_id", "started_at", "elapsed_seconds", "jobs", "current_job",
                "current_portfolio", "progress_percent").containsEntry("current_job", "slow");

        Instant asked = Instant.now();
        shared.requestCancel(id); // what POST /api/runs/current/cancel does on a replica without the run
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> coordinator.current().isEmpty());
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(2));

        given().when().get("/api/runs/" + id).then().body("status", equalTo("cancelled"));
        assertThat(shared.activeRunId()).isEmpty();
        assertThat(redis.execute("EXISTS", lockKey + ":current", lockKey + ":cancel").toInteger()).isZero();
        given().when().get("/api/runs/current").then().body("status", equalTo("idle"));
    }

    @Test
    void aReplicaWithoutTheRunShowsTheOwnersProgressAndAsksItToCancel() {
        String id = "run-of-another-replica";
        redis.execute("SET", lockKey, id, "PX", "20000");
        redis.execute("SET", lockKey + ":current", """
                {"status":"running","batch_run_id":"%s","started_at":"%s","elapsed_seconds":0.0,
                 "jobs":{"total":8,"completed":3,"failed":1},"current_job":"beta","current_portfolio":"MSFT/1h",
                 "progress_percent":50.0}""".formatted(id, Instant.now().minusSeconds(42)), "PX", "20000");

        given().when().get("/api/runs/current").then().statusCode(200)
                .body("status", equalTo("running"))
                .body("batch_run_id", equalTo(id))
                .body("jobs.total", equalTo(8))
                .body("jobs.completed", equalTo(3))
                .body("jobs.failed", equalTo(1))
                .body("current_job", equalTo("beta"))
                .body("current_portfolio", equalTo("MSFT/1h"))
                .body("progress_percent", equalTo(50.0f))
                .body("elapsed_seconds", greaterThan(41.0f));

        // the owner, played here: it sees the request and ends its run (releasing the lock)
        CompletableFuture<Boolean> owner = CompletableFuture.supplyAsync(() -> {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> shared.cancelRequested(id));
            redis.execute("DEL", lockKey);
            return true;
        });
        given().when().post("/api/runs/current/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("batch_run_id", equalTo(id));
        assertThat(owner.join()).isTrue();
        given().when().get("/api/runs/current").then().body("status", equalTo("idle"));
    }

    @Test
    void aSnapshotLeftBehindWithoutItsLockIsIdle() {
        redis.execute("SET", lockKey + ":current", "{\"status\":\"running\",\"batch_run_id\":\"crashed-run\"}", "PX", "20000");

        given().when().get("/api/runs/current").then().body("status", equalTo("idle"));
        given().when().post("/api/runs/current/cancel").then().statusCode(404).body("error", equalTo("No batch running"));
    }
}
