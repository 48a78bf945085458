package dev.monitoring.gateway.live;

import dev.monitoring.testsupport.LiveClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.gateway.downstream.RunnerClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A downstream down or unreachable for longer than {@code gateway.downstream.down-after} (2 s here) is told to every
 * WebSocket client once, with one more frame when it is back; a client that connects during the outage hears of it
 * right after its hello; {@code /api/health} shows since when, next to every field it had before.
 */
@QuarkusTest
@TestProfile(DownstreamStubs.class)
class DownstreamAlertsTest {
    private static final Duration DOWN_AFTER = Duration.parse("PT" + DownstreamStubs.DOWN_AFTER);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("viewer:viewer-test".getBytes(StandardCharsets.UTF_8));

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void monitorBack() {
        DownstreamStubs.Monitor.down();
        DownstreamStubs.Monitor.up();
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(health().path("downstream").path(MonitorClient.SERVICE).path("status").asText()));
    }

    @Test
    void aRunnerUnreachableSinceStartIsShownByApiHealthAndToAClientThatConnectsLater() throws Exception {
        await().atMost(DOWN_AFTER.plusSeconds(10)).until(() -> health().path("downstream").path(RunnerClient.SERVICE).path("alerted").asBoolean());
        JsonNode health = health();
        // Every field /api/health had, as it was.
        assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.path("timestamp").asText()).isNotBlank();
        assertThat(health.path("services").path(RunnerClient.SERVICE).path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("services").path(RunnerClient.SERVICE).path("reason").asText()).isEqualTo("unreachable or too slow");
        assertThat(health.path("services").path(MonitorClient.SERVICE).path("status").asText()).isEqualTo("UP");
        assertThat(health.path("services").path("api-gateway").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("redis").path("status").asText()).isEqualTo("UP");
        assertThat(health.has("postgresql")).isTrue();
        assertThat(health.has("monitor_subscription")).isTrue();
        assertThat(health.path("error_health").path("health").asText()).isEqualTo("green");
        // And the watcher's view of it.
        JsonNode runner = health.path("downstream").path(RunnerClient.SERVICE);
        assertThat(runner.path("status").asText()).isEqualTo("UNREACHABLE");
        assertThat(runner.path("down_seconds").asLong()).isGreaterThanOrEqualTo(DOWN_AFTER.toSeconds());
        assertThat(Instant.parse(runner.path("since").asText())).isBefore(Instant.parse(runner.path("checked_at").asText()));
        JsonNode monitor = health.path("downstream").path(MonitorClient.SERVICE);
        assertThat(monitor.path("status").asText()).isEqualTo("UP");
        assertThat(monitor.path("down_seconds").asLong()).isZero();
        assertThat(monitor.path("alerted").asBoolean()).isFalse();

        try (LiveClient client = LiveClient.connectAlone(base)) {
            assertThat(client.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            LiveClient.Frame frame = client.next(Duration.ofSeconds(1));
            assertThat(frame).as("the frame right after the hello").isNotNull();
            assertThat(frame.type()).isEqualTo("alert");
            JsonNode alert = frame.json().path("alert");
            assertThat(alert.path("rule").asText()).isEqualTo("service_down");
            assertThat(alert.path("severity").asText()).isEqualTo("critical");
            assertThat(alert.path("key").asText()).isEqualTo(RunnerClient.SERVICE);
            assertThat(alert.path("message").asText()).matches("runner-service unreachable for \\d+ s");
            assertThat(alert.path("reminder").asBoolean()).isTrue();
            assertThat(alert.path("resolved").asBoolean()).isFalse();
            assertThat(alert.path("alert_id").asText()).isNotBlank();
        }
    }

    @Test
    void aMonitorGoneLongerThanTheThresholdIsAnnouncedOnceAndItsRecoveryToo() throws Exception {
        try (LiveClient client = LiveClient.connectAlone(base)) {
            assertThat(client.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            long stopped = System.nanoTime();
            DownstreamStubs.Monitor.down();

            List<LiveClient.Frame> skipped = new ArrayList<>();
            LiveClient.Frame down = client.next(f -> isMonitorAlert(f, false), DOWN_AFTER.plusSeconds(5), skipped);
            long announcedAfter = System.nanoTime() - stopped;
            assertThat(down).as("the monitor's outage announced").isNotNull();
            assertThat(Duration.ofNanos(announcedAfter)).as("not before the threshold").isGreaterThanOrEqualTo(DOWN_AFTER);
            JsonNode alert = down.json().path("alert");
            assertThat(alert.path("severity").asText()).isEqualTo("critical");
            assertThat(alert.path("reminder").asBoolean()).isFalse();
            assertThat(alert.path("message").asText()).matches("monitor-service unreachable for \\d+ s");
            long seconds = Long.parseLong(alert.path("message").asText().replaceAll("\\D+", ""));
            assertThat(seconds).isGreaterThanOrEqualTo(DOWN_AFTER.toSeconds());

            // Still down through many more polls: no second announcement.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    health().path("downstream").path(MonitorClient.SERVICE).path("down_seconds").asLong() >= 2 * DOWN_AFTER.toSeconds() + 1);
            DownstreamStubs.Monitor.up();
            LiveClient.Frame recovered = client.next(f -> isMonitorAlert(f, true), Duration.ofSeconds(5), skipped);
            assertThat(recovered).as("the recovery").isNotNull();
            JsonNode recovery = recovered.json().path("alert");
            assertThat(recovery.path("severity").asText()).isEqualTo("info");
            assertThat(recovery.path("message").asText()).matches("monitor-service recovered after \\d+ s");
            assertThat(recovery.path("alert_id").asText()).isEqualTo(alert.path("alert_id").asText());
            assertThat(skipped).noneMatch(f -> isMonitorAlert(f, false));
        }
    }

    @Test
    void anOutageShorterThanTheThresholdIsNotAnnounced() throws Exception {
        try (LiveClient client = LiveClient.connectAlone(base)) {
            assertThat(client.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            DownstreamStubs.Monitor.down();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                    "UNREACHABLE".equals(health().path("downstream").path(MonitorClient.SERVICE).path("status").asText()));
            Instant back = Instant.now();
            DownstreamStubs.Monitor.up();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                JsonNode monitor = health().path("downstream").path(MonitorClient.SERVICE);
                return "UP".equals(monitor.path("status").asText()) && Instant.parse(monitor.path("checked_at").asText()).isAfter(back);
            });
            // Anything the watcher sent went out before the poll that saw it back: a frame sent now comes after it.
            String sentinel = "sentinel " + System.nanoTime();
            publishError(sentinel);
            List<LiveClient.Frame> before = new ArrayList<>();
            assertThat(client.next(f -> f.json().path("error").path("message").asText().equals(sentinel), Duration.ofSeconds(3), before))
                    .as("sentinel").isNotNull();
            assertThat(before).noneMatch(f -> isMonitorAlert(f, false) || isMonitorAlert(f, true));
        }
    }

    private static boolean isMonitorAlert(LiveClient.Frame frame, boolean resolved) {
        JsonNode alert = frame.json().path("alert");
        return frame.type().equals("alert") && alert.path("rule").asText().equals("service_down")
                && alert.path("key").asText().equals(MonitorClient.SERVICE) && alert.path("resolved").asBoolean() == resolved;
    }

    private static void publishError(String message) throws Exception {
        String event = "{\"severity\":\"error\",\"error_message\":\"" + message + "\"}";
        Process p = new ProcessBuilder("redis-cli", "PUBLISH", RealServices.ERRORS, event).redirectErrorStream(true).start();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    private JsonNode health() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/health"))
                .header("Authorization", AUTH).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return MAPPER.readTree(answer.body());
    }
}
