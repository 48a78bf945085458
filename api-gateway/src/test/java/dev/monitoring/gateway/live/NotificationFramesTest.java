package dev.monitoring.gateway.live;

import dev.monitoring.testsupport.LiveClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages of the notifications channel reach every WebSocket client as silence and delivery frames. */
@QuarkusTest
class NotificationFramesTest {
    private static final Duration WAIT = Duration.ofSeconds(3);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Vertx vertx;

    @Inject
    LiveSubscription subscription;

    private LiveClient viewer() throws Exception {
        LiveClient client = LiveClient.connect(base, "viewer", "viewer-test");
        LiveClient.Frame hello = client.next(WAIT);
        assertThat(hello).as("hello frame").isNotNull();
        assertThat(hello.type()).isEqualTo("hello");
        return client;
    }

    /** {@code redis-cli PUBLISH}, the way an operator would. */
    private static void redisCli(String channel, String payload) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "PUBLISH", channel, payload).redirectErrorStream(true).start();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    private static String silence(String id, String state) {
        return "{\"id\":\"" + id + "\",\"matchers\":[{\"label\":\"rule\",\"value\":\"job_stale\",\"regex\":false}],"
                + "\"starts_at\":\"2026-11-30T16:00:00Z\",\"ends_at\":\"2026-11-30T18:00:00Z\",\"comment\":\"<b>migration</b>\","
                + "\"created_by\":\"admin\",\"end_on_resolve\":false,\"cron\":null,\"duration\":null,\"state\":\"" + state + "\","
                + "\"created_at\":\"2026-11-30T15:59:00Z\",\"expired_at\":null}";
    }

    private static String delivery(String id, String status) {
        return "{\"type\":\"delivery\",\"notification\":{\"notification_id\":\"" + id + "\",\"receiver\":\"ops-webhook\","
                + "\"group_key\":\"route-0:{}\",\"kind\":\"firing\",\"status\":\"" + status + "\",\"attempts\":2,"
                + "\"last_error\":\"HTTP 503\",\"alerts\":[{\"alert_id\":\"a1\",\"rule\":\"job_stale\",\"severity\":\"warning\","
                + "\"message\":\"prices stale\",\"key\":\"prices\"}],\"created_at\":\"2026-11-30T16:00:10Z\","
                + "\"updated_at\":\"2026-11-30T16:00:12Z\"}}";
    }

    @Test
    void theGatewaySubscribesToTheNotificationsChannelOnItsOneConnection() {
        assertThat(subscription.channels()).contains(RealServices.NOTIFICATIONS, RealServices.ALERTS, RealServices.ERRORS);
    }

    @Test
    void silenceAndDeliveryMessagesPublishedWithRedisCliReachEveryClient() throws Exception {
        try (LiveClient first = viewer(); LiveClient second = viewer()) {
            String silenceId = UUID.randomUUID().toString();
            String notificationId = "n-" + UUID.randomUUID();
            redisCli(RealServices.NOTIFICATIONS,
                    "{\"type\":\"silence\",\"action\":\"created\",\"silence\":" + silence(silenceId, "active") + "}");
            redisCli(RealServices.NOTIFICATIONS, delivery(notificationId, "retrying"));

            for (LiveClient client : List.of(first, second)) {
                List<LiveClient.Frame> skipped = new ArrayList<>();
                LiveClient.Frame silence = client.next(f -> f.type().equals("silence")
                        && f.json().path("silence").path("id").asText().equals(silenceId), WAIT, skipped);
                assertThat(silence).as("silence frame").isNotNull();
                JsonNode frame = silence.json();
                assertThat(frame.path("action").asText()).isEqualTo("created");
                assertThat(frame.path("silence").path("comment").asText()).isEqualTo("<b>migration</b>");
                assertThat(frame.path("silence").path("matchers").get(0).path("value").asText()).isEqualTo("job_stale");
                assertThat(frame.path("silence").path("created_by").asText()).isEqualTo("admin");
                assertThat(frame.size()).as("type, action, silence").isEqualTo(3);

                LiveClient.Frame delivery = client.next(f -> f.type().equals("delivery")
                        && f.json().path("notification").path("notification_id").asText().equals(notificationId), WAIT, skipped);
                assertThat(delivery).as("delivery frame").isNotNull();
                JsonNode notification = delivery.json().path("notification");
                assertThat(notification.path("status").asText()).isEqualTo("retrying");
                assertThat(notification.path("attempts").asInt()).isEqualTo(2);
                assertThat(notification.path("last_error").asText()).isEqualTo("HTTP 503");
                assertThat(notification.path("alerts").get(0).path("rule").asText()).isEqualTo("job_stale");
                assertThat(delivery.json().size()).as("type, notification").isEqualTo(2);
            }
        }
    }

    @Test
    void invalidMessagesAreSkippedAndTheSubscriptionGoesOn() throws Exception {
        try (LiveClient client = viewer()) {
            String bad = "bad-" + UUID.randomUUID();
            redisCli(RealServices.NOTIFICATIONS, "not json " + bad);
            redisCli(RealServices.NOTIFICATIONS, "[\"" + bad + "\"]");
            redisCli(RealServices.NOTIFICATIONS, "{\"type\":\"gossip\",\"text\":\"" + bad + "\"}");
            redisCli(RealServices.NOTIFICATIONS, "{\"type\":\"silence\",\"silence\":" + silence(bad, "active") + "}");
            redisCli(RealServices.NOTIFICATIONS, "{\"type\":\"silence\",\"action\":\"created\",\"silence\":\"" + bad + "\"}");
            redisCli(RealServices.NOTIFICATIONS, "{\"type\":\"delivery\",\"notification\":[\"" + bad + "\"]}");
            String sentinel = "sentinel-" + UUID.randomUUID();
            redisCli(RealServices.NOTIFICATIONS, delivery(sentinel, "sent"));

            List<LiveClient.Frame> before = new ArrayList<>();
            LiveClient.Frame frame = client.next(f -> f.type().equals("delivery")
                    && f.json().path("notification").path("notification_id").asText().equals(sentinel), WAIT, before);
            assertThat(frame).as("the sentinel published after the invalid messages").isNotNull();
            assertThat(before).noneMatch(f -> f.json().toString().contains(bad));
            assertThat(subscription.subscribed()).isTrue();
        }
    }

    @Test
    void theMonitorsOwnSilenceChangesArePushedLive() throws Exception {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        try (LiveClient client = viewer()) {
            String marker = "live-" + UUID.randomUUID();
            Response created = given().auth().preemptive().basic("admin", "admin-test").contentType("application/json")
                    .body("{\"matchers\":[{\"label\":\"rule\",\"value\":\"" + marker + "\"}],\"ends_at\":\""
                            + Instant.now().plus(1, ChronoUnit.HOURS) + "\",\"comment\":\"" + marker + "\"}")
                    .when().post("/api/silences");
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
            String id = created.jsonPath().getString("id");

            List<LiveClient.Frame> skipped = new ArrayList<>();
            LiveClient.Frame createdFrame = client.next(f -> f.type().equals("silence")
                    && f.json().path("silence").path("id").asText().equals(id), Duration.ofSeconds(5), skipped);
            assertThat(createdFrame).as("silence frame from the monitor").isNotNull();
            assertThat(createdFrame.json().path("action").asText()).isEqualTo("created");
            assertThat(createdFrame.json().path("silence").path("created_by").asText()).isEqualTo("admin");
            assertThat(createdFrame.json().path("silence").path("comment").asText()).isEqualTo(marker);

            given().auth().preemptive().basic("admin", "admin-test").when().delete("/api/silences/" + id).then().statusCode(200);
            LiveClient.Frame expiredFrame = client.next(f -> f.type().equals("silence")
                    && f.json().path("silence").path("id").asText().equals(id), Duration.ofSeconds(5), skipped);
            assertThat(expiredFrame).as("expiry frame from the monitor").isNotNull();
            assertThat(expiredFrame.json().path("action").asText()).isEqualTo("expired");
            assertThat(expiredFrame.json().path("silence").path("state").asText()).isEqualTo("expired");
        }
    }
}
