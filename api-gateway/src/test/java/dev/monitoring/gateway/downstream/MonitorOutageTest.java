package dev.monitoring.gateway.downstream;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The monitor really stopped: its routes answer 503 promptly while the runner's keep working. */
@QuarkusTest
class MonitorOutageTest {

    @Test
    void monitorStoppedItsRoutesAre503PromptlyAndRunnerRoutesStillWork() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        assertThat(RealServices.failure(RunnerClient.SERVICE)).as("runner-service").isNull();
        RealServices.monitor().kill();
        try {
            for (String route : new String[] {"/api/errors/recent", "/api/jobs", "/api/freshness", "/api/alerts"}) {
                long start = System.nanoTime();
                Response answer = given().auth().preemptive().basic("viewer", "viewer-test").when().get(route);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(route).isLessThan(Duration.ofSeconds(5));
                assertThat(answer.statusCode()).as(route).isEqualTo(503);
                assertThat(answer.jsonPath().getString("error")).isEqualTo("monitor-service unavailable");
                assertThat(answer.jsonPath().getString("service")).isEqualTo("monitor-service");
            }
            given().auth().preemptive().basic("viewer", "viewer-test")
                    .when().get("/api/runs/current")
                    .then().statusCode(200);
            given().auth().preemptive().basic("viewer", "viewer-test")
                    .when().get("/api/jobs/catalog")
                    .then().statusCode(200);

            Response health = given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.jsonPath().getString("status")).isEqualTo("DEGRADED");
            assertThat(health.jsonPath().getString("services.monitor-service.status")).isEqualTo("DOWN");
            assertThat(health.jsonPath().getString("services.runner-service.status")).isEqualTo("UP");
            assertThat(health.jsonPath().getString("error_health")).isNull();
        } finally {
            RealServices.monitor().restart();
        }
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service after restart").isNull();
    }
}
