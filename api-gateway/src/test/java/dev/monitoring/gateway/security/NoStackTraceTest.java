package dev.monitoring.gateway.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Odd requests get a short answer, never a stack trace or a class name. */
@QuarkusTest
class NoStackTraceTest {

    @ParameterizedTest
    @CsvSource({
            "GET, /api/no-such-route",
            "GET, /api/errors/recent?limit=abc",
            "GET, /api/errors/recent?since=yesterday",
            "DELETE, /api/errors/recent",
            "POST, /api/errors/recent",
            "POST, /api/runs?force=maybe",
            "POST, /api/silences",
            "DELETE, /api/silences/not-a-uuid",
            "DELETE, /api/silences/%27%3B--",
            "GET, /api/silences?state=%00",
            "GET, /api/notifications?limit=abc",
            "POST, /api/receivers/%2e%2e/test",
            "POST, /api/receivers/%27%22%3C/test"})
    void oddRequestsGetNoStackTrace(String method, String path) {
        Response answer = given()
                .urlEncodingEnabled(false)
                .auth().preemptive().basic("admin", "admin-test")
        .when()
                .request(method, path);
        assertThat(answer.statusCode()).as(path + " -> " + answer.asString()).isLessThan(500);
        assertThat(answer.asString()).as(path)
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .doesNotContain("dev.monitoring")
                .doesNotContain("io.quarkus");
    }
}
