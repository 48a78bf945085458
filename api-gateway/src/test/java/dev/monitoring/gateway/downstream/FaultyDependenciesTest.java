package dev.monitoring.gateway.downstream;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client sees when a dependency is slow or gone (see {@link FaultyDependencies}): a prompt 503 naming the
 * service instead of a hang, and an {@code /api/health} that says which part is down.
 */
@QuarkusTest
@TestProfile(FaultyDependencies.class)
class FaultyDependenciesTest {
    /** The gateway's timeout plus slack for this shared 2-core machine; far below the stub's 10 s answer. */
    private static final Duration PROMPT = FaultyDependencies.TIMEOUT.plusSeconds(2);

    private static boolean warm;

    /**
     * One untimed call of each kind first: the first call of a JVM loads and links the REST clients, JSON and security
     * code (2.7 s of it once under the other test lane's load, over the bound), which is not what "prompt" is about.
     */
    @BeforeEach
    void warmUp() {
        if (!warm) {
            viewer().when().get("/api/health");
            viewer().when().get("/api/errors/recent?limit=1");
            viewer().when().get("/api/runs/current");
            warm = true;
        }
    }

    private static RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer-test");
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin-test");
    }

    private static Response timed(String what, Function<RequestSpecification, Response> call, RequestSpecification as) {
        long start = System.nanoTime();
        Response answer = call.apply(as);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what + " answered promptly").isLessThan(PROMPT);
        return answer;
    }

    private static void assertUnavailable(String what, Response answer, String service) {
        assertThat(answer.statusCode()).as(what).isEqualTo(503);
        assertThat(answer.contentType()).as(what).startsWith("application/json");
        assertThat(answer.jsonPath().getMap("")).as(what)
                .isEqualTo(Map.of("error", service + " unavailable", "service", service));
    }

    @Test
    void aMonitorThatAcceptsButAnswersTooLateGivesAPrompt503() {
        Response answer = timed("/api/errors/recent", s -> s.when().get("/api/errors/recent?limit=5"), viewer());
        assertUnavailable("/api/errors/recent", answer, MonitorClient.SERVICE);
        // The gateway gave up on its side: it answers the next call as promptly.
        Response again = timed("/api/errors/recent again", s -> s.when().get("/api/errors/recent"), viewer());
        assertUnavailable("/api/errors/recent again", again, MonitorClient.SERVICE);
    }

    @Test
    void runnerRoutesAnswer503PromptlyWhileTheRunnerIsDown() {
        String service = RunnerClient.SERVICE;
        assertUnavailable("GET /api/runs/current", timed("GET /api/runs/current", s -> s.when().get("/api/runs/current"), viewer()), service);
        assertUnavailable("GET /api/runs", timed("GET /api/runs", s -> s.when().get("/api/runs?limit=5"), viewer()), service);
        assertUnavailable("GET /api/runs/{id}", timed("GET /api/runs/{id}", s -> s.when().get("/api/runs/run-1"), viewer()), service);
        assertUnavailable("GET /api/jobs/catalog", timed("GET /api/jobs/catalog", s -> s.when().get("/api/jobs/catalog"), viewer()), service);
        assertUnavailable("POST /api/runs", timed("POST /api/runs", s -> s.when().post("/api/runs?job=prices"), admin()), service);
        assertUnavailable("POST /api/runs/current/cancel",
                timed("POST /api/runs/current/cancel", s -> s.when().post("/api/runs/current/cancel"), admin()), service);
    }

    @Test
    void apiHealthShowsPostgresDownAsTheMonitorReportsIt() {
        Response health = timed("/api/health", s -> s.when().get("/api/health"), viewer());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.jsonPath().getString("postgresql.status")).isEqualTo("DOWN");
        assertThat(health.jsonPath().getString("postgresql.source")).isEqualTo("monitor-service readiness");
        assertThat(health.jsonPath().getString("services.monitor-service.status")).isEqualTo("DOWN");
        assertThat(health.jsonPath().getString("monitor_subscription.status")).isEqualTo("UP");
        assertThat(health.jsonPath().getString("services.runner-service.status")).isEqualTo("DOWN");
        assertThat(health.jsonPath().getString("services.runner-service.reason")).isEqualTo("unreachable or too slow");
        // The gateway still reaches its Redis: degraded, not down.
        assertThat(health.jsonPath().getString("redis.status")).isEqualTo("UP");
        assertThat(health.jsonPath().getString("status")).isEqualTo("DEGRADED");
    }

    @Test
    void apiHealthIsDownWhenTheGatewayCannotReachRedis() throws Exception {
        FaultyDependencies.Stubs.redis().freeze();
        try {
            Response health = timed("/api/health, Redis frozen", s -> s.when().get("/api/health"), viewer());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.jsonPath().getString("redis.status")).isEqualTo("DOWN");
            assertThat(health.jsonPath().getString("status")).isEqualTo("DOWN");
        } finally {
            FaultyDependencies.Stubs.redis().thaw();
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(viewer().when().get("/api/health").jsonPath().getString("redis.status")).isEqualTo("UP"));
    }
}
