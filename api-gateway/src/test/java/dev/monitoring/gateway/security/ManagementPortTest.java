package dev.monitoring.gateway.security;

import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The probes and the metrics (channel names, client counts, JVM figures) answer on the management port only, which
 * the Ingress never routes; the public HTTP port does not serve them, not even to an admin.
 */
@QuarkusTest
class ManagementPortTest {

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/live", "/q/health/ready", "/q/health/started", "/q/metrics"})
    void thePublicPortDoesNotServeTheProbesOrTheMetrics(String path) {
        given()
                .auth().preemptive().basic("admin", "admin-test")
        .when()
                .get(path)
        .then()
                .statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health/live", "/q/health/ready", "/q/health/started"})
    void theManagementPortServesTheProbesWithoutCredentialsForTheKubelet(String path) {
        ManagementInterface.given()
        .when()
                .get(path)
        .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void theManagementPortServesTheMetrics() {
        ManagementInterface.given()
        .when()
                .get("/q/metrics")
        .then()
                .statusCode(200)
                .body(containsString("gateway_ws_frames_sent_total"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/openapi", "/q/swagger-ui/"})
    void theManagementPortDoesNotDescribeTheApi(String path) {
        ManagementInterface.given()
        .when()
                .get(path)
        .then()
                .statusCode(404);
    }
}
