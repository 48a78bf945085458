package dev.monitoring.runner.runs;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.monitoring.runner.runs.UnreachableRedis.DEAD_RUN;
import static dev.monitoring.runner.runs.UnreachableRedis.LIVE_RUN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

/**
 * A runner that starts while its Redis cannot be reached cannot tell a run live on another replica from one whose
 * runner died: it must leave both alone, and sort them out once Redis answers. Set up by {@link UnreachableRedis}.
 */
@QuarkusTest
@TestProfile(UnreachableRedis.Profile.class)
class RedisUnreachableAtStartTest {
    private final RunRepository repository;
    private final RunCoordinator coordinator;
    private final String lockKey;

    RedisUnreachableAtStartTest(RunRepository repository, RunCoordinator coordinator,
                                @ConfigProperty(name = "runner.lock.key") String lockKey) {
        this.repository = repository;
        this.coordinator = coordinator;
        this.lockKey = lockKey;
    }

    @Test
    void runsWhoseLockCannotBeCheckedAreLeftAloneUntilRedisAnswers() {
        // The start-up check is over (it ran on the StartupEvent, before any test): Redis could not be asked.
        assertThat(repository.findRun(LIVE_RUN).orElseThrow()).satisfies(this::stillRunning);
        assertThat(repository.findRun(DEAD_RUN).orElseThrow()).satisfies(this::stillRunning);

        UnreachableRedis.openTcp();

        // Retried once Redis answers: the run without a lock was orphaned, the one holding it is live elsewhere.
        RunRecord dead = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> repository.findRun(DEAD_RUN).orElseThrow(), r -> !r.status().equals("running"));
        assertThat(dead.status()).isEqualTo("failed");
        assertThat(dead.message()).isEqualTo(OrphanedRuns.MESSAGE);
        assertThat(dead.executions()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("failed");
            assertThat(e.errorType()).isEqualTo("Orphaned");
        });
        assertThat(repository.findRun(LIVE_RUN).orElseThrow()).satisfies(this::stillRunning);
        assertThat(UnreachableRedis.command("GET", lockKey)).as("the other replica's lock").isEqualTo(LIVE_RUN);
    }

    @Test
    void startingARunWhileRedisIsDownIs503WithAReason() {
        UnreachableRedis.cutOff(); // in case the other test let the runner in

        given()
                .when().post("/api/runs")
                .then()
                .statusCode(503)
                .contentType(ContentType.JSON)
                .body("error", startsWith("cannot take the run lock, Redis unreachable"));
        assertThat(coordinator.current()).isEmpty();
    }

    private void stillRunning(RunRecord run) {
        assertThat(run.status()).isEqualTo("running");
        assertThat(run.finishedAt()).isNull();
        assertThat(run.executions()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo("running"));
    }
}
