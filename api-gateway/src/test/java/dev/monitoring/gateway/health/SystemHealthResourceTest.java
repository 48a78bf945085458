package dev.monitoring.gateway.health;

import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.gateway.downstream.RunnerClient;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class SystemHealthResourceTest {

    @Test
    void oneAnswerForTheWholeSystem() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        assertThat(RealServices.failure(RunnerClient.SERVICE)).as("runner-service").isNull();
        given()
                .auth().preemptive().basic("viewer", "viewer-test")
        .when()
                .get("/api/health")
        .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("services.monitor-service.status", equalTo("UP"))
                .body("services.runner-service.status", equalTo("UP"))
                .body("services.api-gateway.status", equalTo("UP"))
                .body("redis.status", equalTo("UP"))
                .body("postgresql.status", equalTo("UP"))
                .body("monitor_subscription.status", equalTo("UP"))
                .body("error_health.health", anyOf(equalTo("green"), equalTo("yellow"), equalTo("red")))
                .body("timestamp", notNullValue());
    }

    @Test
    void theGatewaysOwnReadinessIncludesItsSubscription() {
        ManagementInterface.given()
        .when()
                .get("/q/health/ready")
        .then()
                .statusCode(200)
                .body("checks.find { it.name == 'redis-subscription' }.status", equalTo("UP"));
    }
}
