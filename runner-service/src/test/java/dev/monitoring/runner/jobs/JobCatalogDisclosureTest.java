package dev.monitoring.runner.jobs;

import dev.monitoring.model.Category;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.runner.runs.RunCoordinator;
import dev.monitoring.runner.runs.RunnerTables;
import dev.monitoring.testsupport.Resp;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** A job's command line and environment are admin-only: in the catalog only with detail=admin, never in runs or events. */
@QuarkusTest
class JobCatalogDisclosureTest {
    /** What every job of the catalog shows without the admin detail: today's fields, without the command. */
    private static final List<String> VIEWER_FIELDS = List.of("name", "kind", "category", "cron", "next_scheduled_at",
            "next_run_at", "timeout_seconds", "max_attempts", "backoff_seconds", "expected_output", "fresh_seconds",
            "stale_seconds", "targets");

    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final RunnerTables tables;
    private final ChannelsConfig channels;
    private final String redisHosts;
    private final String secret = "s3cret-" + UUID.randomUUID();

    JobCatalogDisclosureTest(JobCatalog catalog, RunCoordinator coordinator, RunnerTables tables, ChannelsConfig channels,
                             @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts) {
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.tables = tables;
        this.channels = channels;
        this.redisHosts = redisHosts;
    }

    @BeforeEach
    void jobs() {
        coordinator.cancel();
        tables.clear();
        catalog.replace(List.of(
                new JobDefinition("upload", new CommandSpec(List.of("sh", "-c", "echo 'upload refused' >&2; exit 3", "sh",
                        "--token=" + secret), null, Map.of("API_KEY", "env-" + secret)), null, List.of(), "* * * * * ?",
                        Duration.ofSeconds(10), 1, Duration.ofMillis(100), null, Category.NETWORK, null, null, List.of()),
                new JobDefinition("missing", new CommandSpec(List.of("no-such-program-" + UUID.randomUUID(),
                        "--password=" + secret), null, Map.of()), null, List.of(), "* * * * * ?",
                        Duration.ofSeconds(10), 1, Duration.ofMillis(100), null, Category.NETWORK, null, null, List.of()),
                TestJobs.demo("demo", Duration.ofMillis(50), 0, List.of(new Target("AAPL", "1d")))));
    }

    @AfterEach
    void stopRuns() {
        coordinator.cancel();
    }

    @Test
    void theCatalogShowsNoCommandNorEnvironmentUnlessAskedForTheAdminDetail() {
        String body = given().when().get("/api/jobs/catalog").then().statusCode(200)
                .body("count", equalTo(3)).extract().asString();
        assertThat(body).doesNotContain(secret).doesNotContain("\"command\":").doesNotContain("\"env\":").doesNotContain("echo");
        List<Map<String, Object>> jobs = given().when().get("/api/jobs/catalog").then().extract().jsonPath().getList("jobs");
        assertThat(jobs).allSatisfy(j -> assertThat(j.keySet()).containsExactlyInAnyOrderElementsOf(VIEWER_FIELDS));
        assertThat(jobs).extracting(j -> j.get("kind")).containsExactly("command", "command", "demo");
        // an empty detail is no detail
        assertThat(given().when().get("/api/jobs/catalog?detail=").then().statusCode(200).extract().asString())
                .doesNotContain(secret);

        given().when().get("/api/jobs/catalog?detail=admin").then().statusCode(200)
                .body("jobs[0].command", equalTo(List.of("sh", "-c", "echo 'upload refused' >&2; exit 3", "sh", "--token=" + secret)))
                .body("jobs[0].env", equalTo(Map.of("API_KEY", "env-" + secret)))
                .body("jobs[1].command[1]", equalTo("--password=" + secret))
                .body("jobs[2].containsKey('command')", equalTo(false))
                .body("jobs[0].targets[0].containsKey('due_at')", equalTo(true));

        given().when().get("/api/jobs/catalog?detail=full").then().statusCode(400)
                .body("error", equalTo("'detail' must be admin or left out"));
    }

    @Test
    void neitherRunResultsNorEventsQuoteTheCommandLine() throws Exception {
        URI redis = URI.create(redisHosts.split(",")[0]);
        try (Resp.Subscription subscriber = Resp.tcp(redis.getHost(), redis.getPort()).subscription(channels.executions(), channels.errors())) {
            String id = given().when().post("/api/runs").then().statusCode(202).extract().path("batch_run_id");
            List<Resp.Subscription.Message> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                subscriber.queue.drainTo(received);
                return received.stream().anyMatch(m -> m.payload().contains("\"run.completed\""));
            });

            String run = given().when().get("/api/runs/" + id).then().statusCode(200)
                    .body("jobs.failed", equalTo(2)).extract().asString();
            assertThat(run).contains("upload refused").contains("CommandNotStarted").doesNotContain(secret);
            assertThat(given().when().get("/api/runs?limit=5").then().statusCode(200).extract().asString()).doesNotContain(secret);
            assertThat(received).filteredOn(m -> m.channel().equals(channels.errors())).hasSize(2);
            assertThat(received).allSatisfy(m -> assertThat(m.payload()).doesNotContain(secret));
        }
    }
}
