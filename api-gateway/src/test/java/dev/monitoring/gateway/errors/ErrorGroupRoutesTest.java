package dev.monitoring.gateway.errors;

import dev.monitoring.gateway.TestEvents;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.testsupport.LiveClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The error-group workflow through the gateway, against the real monitor: viewers read, admins act, the gateway
 * writes the actor itself, and every open dashboard hears of the change.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class ErrorGroupRoutesTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @ParameterizedTest
    @CsvSource({"/api/errors/groups/abc/resolve", "/api/errors/groups/abc/ignore", "/api/errors/groups/bulk"})
    void aViewerCannotActOnGroups(String route) {
        given().auth().preemptive().basic("viewer", "viewer-test").contentType("application/json")
                .body("{\"action\":\"resolve\",\"filter\":{\"q\":\"x\"}}")
                .when().post(route)
                .then().statusCode(403).body("error", containsString("forbidden"));
        given().contentType("application/json").body("{}").when().post(route).then().statusCode(401);
    }

    @Test
    void anAdminResolvesAGroupAsHimselfAndOpenDashboardsHearOfIt() throws Exception {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        // q= matches the error type as sent (messages are matched in their grouped form, with ids and numbers masked)
        String marker = "GroupRouteError_" + TestEvents.marker("grp").replace('-', '_');
        redis.pubsub(String.class).publish(RealServices.ERRORS, TestEvents.error("error", "network", marker,
                "feed timed out", "AAPL"));
        String fp = storedGroup(marker);

        try (LiveClient live = LiveClient.connect(base, "viewer", "viewer-test")) {
            assertThat(live.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            JsonPath resolved = given().auth().preemptive().basic("admin", "admin-test").contentType("application/json")
                    .body("{\"actor\":\"mallory\",\"comment\":\"fixed upstream\"}")
                    .when().post("/api/errors/groups/{fp}/resolve", fp)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(resolved.getString("state")).isEqualTo("resolved");

            LiveClient.Frame frame = live.next(f -> f.type().equals("group")
                    && f.json().path("group").path("fingerprint").asText().equals(fp), Duration.ofSeconds(5), new ArrayList<>());
            assertThat(frame).as("the group frame").isNotNull();
            assertThat(frame.json().path("action").asText()).isEqualTo("resolved");
            assertThat(frame.json().path("group").path("state").asText()).isEqualTo("resolved");
        }

        viewer().get("/api/errors/groups/{fp}/activity", fp).then().statusCode(200)
                .body("[0].actor", equalTo("admin")).body("[0].comment", equalTo("fixed upstream"));
        viewer().queryParam("state", "resolved").queryParam("q", marker).get("/api/errors/groups").then()
                .body("fingerprint", equalTo(List.of(fp)));
        viewer().get("/api/errors/groups/{fp}", fp).then().statusCode(200).body("state", equalTo("resolved"));
    }

    @Test
    void errorsOfAnIgnoredGroupAreMarkedInTheLiveStreamAndOthersAreNot() throws Exception {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        String type = "IgnoredLiveError_" + TestEvents.marker("ign").replace('-', '_');
        String other = "OtherLiveError_" + TestEvents.marker("oth").replace('-', '_');
        var pubsub = redis.pubsub(String.class);
        pubsub.publish(RealServices.ERRORS, TestEvents.error("error", "network", type, "vendor feed flaps", "AAPL"));
        String fp = storedGroup(type);

        try (LiveClient live = LiveClient.connect(base, "viewer", "viewer-test")) {
            assertThat(live.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            admin().body("{\"comment\":\"known flapping\"}").post("/api/errors/groups/{fp}/ignore", fp).then().statusCode(200);
            assertThat(live.next(f -> f.type().equals("group") && f.json().path("action").asText().equals("ignored"),
                    Duration.ofSeconds(5), new ArrayList<>())).as("the group frame").isNotNull();

            // the gateway reads the monitor's index when the group frame passes: the next errors of the group are marked
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                pubsub.publish(RealServices.ERRORS, TestEvents.error("error", "network", type, "vendor feed flaps", "AAPL"));
                LiveClient.Frame f = live.next(x -> x.type().equals("error")
                        && x.json().path("error").path("type").asText().equals(type), Duration.ofSeconds(2), new ArrayList<>());
                return f != null && f.json().path("error").path("ignored").asBoolean(false);
            });
            pubsub.publish(RealServices.ERRORS, TestEvents.error("error", "network", other, "another failure", "AAPL"));
            LiveClient.Frame otherFrame = live.next(x -> x.type().equals("error")
                    && x.json().path("error").path("type").asText().equals(other), Duration.ofSeconds(5), new ArrayList<>());
            assertThat(otherFrame).isNotNull();
            assertThat(otherFrame.json().path("error").has("ignored")).as("an error of a group not ignored").isFalse();
        }
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        admin().body("[1,2]").post("/api/errors/groups/abc/ignore").then().statusCode(400).body("error", containsString("JSON object"));
        admin().body("x".repeat(ErrorGroupsResource.MAX_BODY_CHARS + 1)).post("/api/errors/groups/abc/ignore").then().statusCode(413);
        admin().body("{}").post("/api/errors/groups/no-such-group/resolve").then().statusCode(404);
        viewer().queryParam("state", "gone").get("/api/errors/groups").then().statusCode(400).body("error", containsString("state"));
    }

    /** The fingerprint of the group of errors of this (unique) type, once the monitor has stored one. */
    private static String storedGroup(String type) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> fps = viewer().queryParam("q", type).get("/api/errors/groups").then().statusCode(200)
                    .extract().jsonPath().getList("fingerprint");
            return fps.isEmpty() ? null : fps.get(0);
        }, f -> f != null);
    }

    private static io.restassured.specification.RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer-test");
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin-test").contentType("application/json");
    }
}
