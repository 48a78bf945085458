package dev.monitoring.gateway.live;

import dev.monitoring.testsupport.LiveClient;
import dev.monitoring.gateway.TestEvents;
import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class ErrorsWebSocketTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Vertx vertx;

    @Inject
    RedisDataSource redis;

    @Inject
    LiveClients clients;

    private LiveClient viewer() throws Exception {
        LiveClient client = LiveClient.connect(base, "viewer", "viewer-test");
        LiveClient.Frame hello = client.next(Duration.ofSeconds(3));
        assertThat(hello).as("hello frame").isNotNull();
        assertThat(hello.type()).isEqualTo("hello");
        return client;
    }

    private void publish(String channel, String payload) {
        redis.pubsub(String.class).publish(channel, payload);
    }

    private static void redisCli(String channel, String payload) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "PUBLISH", channel, payload).redirectErrorStream(true).start();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    private static boolean errorWithMessage(LiveClient.Frame f, String type, String message) {
        return f.type().equals(type) && f.json().path("error").path("message").asText().equals(message);
    }

    @Test
    void helloCarriesServerTimeHealthAndFilter() throws Exception {
        try (LiveClient client = LiveClient.connect(base, "viewer", "viewer-test")) {
            JsonNode hello = client.next(Duration.ofSeconds(3)).json();
            assertThat(hello.path("type").asText()).isEqualTo("hello");
            assertThat(hello.path("server_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(hello.has("health")).isTrue();
            assertThat(hello.path("filter").path("min_severity").asText()).isEqualTo("warning");
        }
        // The health comes from the running monitor (refreshed in the background): a colour, once fetched.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (LiveClient client = LiveClient.connect(base, "viewer", "viewer-test")) {
                JsonNode health = client.next(Duration.ofSeconds(3)).json().path("health");
                assertThat(health.path("health").asText()).isIn("green", "yellow", "red");
                assertThat(health.has("criticalErrors")).isTrue();
            }
        });
    }

    @Test
    void anErrorArrivesWithinOneSecondOfItsPublishButRedisCliDebugAndInfoDoNot() throws Exception {
        try (LiveClient client = viewer()) {
            String marker = "ws-test " + System.nanoTime();
            redisCli(RealServices.ERRORS, TestEvents.error("debug", "pattern", "DebugThing", marker + " debug", "AAPL"));
            redisCli(RealServices.ERRORS, TestEvents.error("info", "pattern", "InfoThing", marker + " info", "AAPL"));
            // Timed from the publish itself, through the Java client (no process start counted): the 1 s is the gateway's.
            long published = System.nanoTime();
            publish(RealServices.ERRORS, "{\"error_type\":\"PatternDetectionError\",\"error_message\":\"" + marker
                    + " error\",\"severity\":\"error\",\"category\":\"pattern\",\"context\":{\"component\":\"detector\",\"symbol\":\"AAPL\"}}");

            List<LiveClient.Frame> before = new ArrayList<>();
            LiveClient.Frame frame = client.next(f -> f.type().equals("error"), SECOND, before);
            assertThat(frame).as("error frame within 1 s").isNotNull();
            assertThat(frame.arrivedNanos() - published).isLessThan(SECOND.toNanos());
            JsonNode error = frame.json().path("error");
            assertThat(error.path("message").asText()).isEqualTo(marker + " error");
            assertThat(frame.json().path("count").asInt()).isEqualTo(1);
            assertThat(error.path("type").asText()).isEqualTo("PatternDetectionError");
            assertThat(error.path("severity").asText()).isEqualTo("error");
            assertThat(error.path("category").asText()).isEqualTo("pattern");
            assertThat(error.path("symbol").asText()).isEqualTo("AAPL");
            assertThat(error.path("component").asText()).isEqualTo("detector");
            assertThat(error.path("id").asText()).isNotBlank();
            assertThat(error.path("timestamp").asText()).isNotBlank();
            // Debug and info were published first on the same channel: had they been sent, they would be here.
            assertThat(before).noneMatch(f -> f.json().toString().contains(marker + " debug")
                    || f.json().toString().contains(marker + " info"));
        }
    }

    @Test
    void aCriticalErrorAlsoGivesACriticalErrorFrame() throws Exception {
        try (LiveClient client = viewer()) {
            String message = "critical " + System.nanoTime();
            publish(RealServices.ERRORS, TestEvents.error("critical", "database", "DatabaseDown", message, null));
            List<LiveClient.Frame> skipped = new ArrayList<>();
            assertThat(client.next(f -> errorWithMessage(f, "error", message), SECOND, skipped)).isNotNull();
            LiveClient.Frame critical = client.next(f -> errorWithMessage(f, "critical_error", message), SECOND, skipped);
            assertThat(critical).isNotNull();
            assertThat(critical.json().path("count").asInt()).isEqualTo(1);
            assertThat(critical.json().path("error").path("severity").asText()).isEqualTo("critical");
        }
    }

    @Test
    void aFilteredClientReceivesOnlyWhatItAskedFor() throws Exception {
        try (LiveClient client = viewer()) {
            client.send("{\"filter\":{\"min_severity\":\"error\",\"categories\":[\"pattern\"],\"symbol\":\"AAPL\"}}");
            LiveClient.Frame ok = client.next(f -> f.type().equals("filter_ok"), SECOND, new ArrayList<>());
            assertThat(ok).isNotNull();
            assertThat(ok.json().path("filter").path("min_severity").asText()).isEqualTo("error");
            assertThat(ok.json().path("filter").path("categories").get(0).asText()).isEqualTo("pattern");
            assertThat(ok.json().path("filter").path("symbol").asText()).isEqualTo("AAPL");

            String tag = "filtered " + System.nanoTime();
            publish(RealServices.ERRORS, TestEvents.error("warning", "pattern", "T", tag + " too low", "AAPL"));
            publish(RealServices.ERRORS, TestEvents.error("error", "network", "T", tag + " other category", "AAPL"));
            publish(RealServices.ERRORS, TestEvents.error("error", "pattern", "T", tag + " other symbol", "MSFT"));
            publish(RealServices.ERRORS, TestEvents.error("critical", "pattern", "T", tag + " wanted", "AAPL"));

            List<LiveClient.Frame> skipped = new ArrayList<>();
            assertThat(client.next(f -> errorWithMessage(f, "critical_error", tag + " wanted"), SECOND, skipped)).isNotNull();
            assertThat(skipped).filteredOn(f -> f.json().toString().contains(tag))
                    .extracting(f -> f.json().path("error").path("message").asText())
                    .containsExactly(tag + " wanted");
        }
    }

    @Test
    void anInvalidFilterGetsAnErrorReplyAndTheConnectionStaysOpen() throws Exception {
        try (LiveClient client = viewer()) {
            client.send("{\"filter\":{\"min_severity\":\"loud\"}}");
            LiveClient.Frame refusal = client.next(f -> f.type().equals("error") && f.json().has("reason"), SECOND, new ArrayList<>());
            assertThat(refusal).isNotNull();
            assertThat(refusal.json().path("reason").asText()).contains("min_severity");
            assertThat(refusal.json().has("error")).isFalse();

            client.send("not json");
            assertThat(client.next(f -> f.json().has("reason"), SECOND, new ArrayList<>())).isNotNull();

            client.send("{\"filter\":{\"categories\":[\"nope\"]}}");
            LiveClient.Frame category = client.next(f -> f.json().has("reason"), SECOND, new ArrayList<>());
            assertThat(category.json().path("reason").asText()).contains("unknown category 'nope'");

            client.send("{\"filter\":{}}");
            assertThat(client.next(f -> f.type().equals("filter_ok"), SECOND, new ArrayList<>())).isNotNull();
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void alertsAndExecutionEventsArePushed() throws Exception {
        try (LiveClient client = viewer()) {
            String alertId = "alert-" + System.nanoTime();
            publish(RealServices.ALERTS, "{\"alert_id\":\"" + alertId + "\",\"rule\":\"critical_error\",\"severity\":\"critical\","
                    + "\"message\":\"m\",\"key\":\"k\",\"first_seen\":\"2026-01-01T00:00:00Z\",\"last_seen\":\"2026-01-01T00:00:00Z\","
                    + "\"count\":1,\"reminder\":false,\"timestamp\":\"2026-01-01T00:00:00Z\"}");
            String run = "run-" + System.nanoTime();
            publish(RealServices.EXECUTIONS, "{\"event\":\"run.progress\",\"batch_run_id\":\"" + run + "\",\"total_jobs\":4,\"completed_jobs\":1}");
            publish(RealServices.EXECUTIONS, "{\"event\":\"job.failed\",\"execution_id\":\"e-" + run + "\",\"job\":\"prices\","
                    + "\"batch_run_id\":\"" + run + "\",\"error_message\":\"boom\"}");

            List<LiveClient.Frame> skipped = new ArrayList<>();
            LiveClient.Frame alert = client.next(f -> f.type().equals("alert")
                    && f.json().path("alert").path("alert_id").asText().equals(alertId), SECOND, skipped);
            assertThat(alert).isNotNull();
            assertThat(alert.json().path("alert").path("rule").asText()).isEqualTo("critical_error");

            LiveClient.Frame progress = client.next(f -> f.type().equals("run_progress")
                    && f.json().path("event").path("batch_run_id").asText().equals(run), SECOND, skipped);
            assertThat(progress).isNotNull();
            assertThat(progress.json().path("event").path("event").asText()).isEqualTo("run.progress");
            assertThat(progress.json().path("event").path("total_jobs").asInt()).isEqualTo(4);

            LiveClient.Frame execution = client.next(f -> f.type().equals("execution")
                    && f.json().path("event").path("batch_run_id").asText().equals(run), SECOND, skipped);
            assertThat(execution).isNotNull();
            assertThat(execution.json().path("event").path("status").asText()).isEqualTo("failed");
            assertThat(execution.json().path("event").path("error_message").asText()).isEqualTo("boom");
        }
    }

    @Test
    void theHandshakeNeedsAViewer() {
        assertThatThrownBy(() -> LiveClient.connect(base, null, null))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> LiveClient.connect(base, "viewer", "wrong"))
                .cause().satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> LiveClient.connect(base, "norole", "norole-test"))
                .cause().satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void theDashboardsSessionCookieOpensTheSocket() throws Exception {
        String cookie = given()
                .redirects().follow(false)
                .formParam("j_username", "viewer")
                .formParam("j_password", "viewer-test")
        .when()
                .post("/j_security_check")
        .then()
                .statusCode(302)
                .extract().cookie("monitoring-session");
        try (LiveClient client = LiveClient.connect(base, java.util.Map.of("Cookie", "monitoring-session=" + cookie))) {
            assertThat(client.next(Duration.ofSeconds(3))).as("hello frame").isNotNull()
                    .satisfies(hello -> assertThat(hello.type()).isEqualTo("hello"));
        }
    }

    /**
     * A browser offers per-message deflate on every handshake; the gateway declines it by default, since it would
     * compress every frame once per client (see {@code WS_COMPRESSION}). Spoken raw, as a browser does.
     */
    @Test
    void perMessageDeflateIsDeclinedByDefault() throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString("viewer:viewer-test".getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /ws/errors HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Authorization: Basic " + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader response = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(response.readLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
            List<String> headers = new ArrayList<>();
            for (String line = response.readLine(); line != null && !line.isEmpty(); line = response.readLine()) {
                headers.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(headers).contains("upgrade: websocket")
                    .noneMatch(header -> header.startsWith("sec-websocket-extensions"));
        }
    }

    /**
     * Each live connection gets one flush per turn of its event loop (see {@code WebSocketFlushes}); a Vert.x upgrade
     * that lays the pipeline out otherwise shows here, not only as a slower fan-out.
     */
    @Test
    void aViewersConnectionGetsItsWritesBatched() throws Exception {
        double before = metric("gateway_ws_connections_batched_total");
        try (LiveClient client = viewer()) {
            assertThat(metric("gateway_ws_connections_batched_total")).isEqualTo(before + 1);
            assertThat(metric("gateway_ws_connections_unbatched_total")).isZero();
        }
    }

    private static double metric(String name) {
        String metrics = ManagementInterface.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not among the metrics"));
    }

    @Test
    void closedConnectionsAreCleanedUpAndCounted() throws Exception {
        // the other tests' clients are closed, but the server notices each close asynchronously
        await().atMost(Duration.ofSeconds(5)).until(() -> clients.size() == 0);
        int before = clients.size();
        try (LiveClient open = viewer()) {
            ManagementInterface.given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("gateway_ws_clients " + (before + 1) + ".0"));
        }
        for (int i = 0; i < 1000; i++) {
            LiveClient.connect(base, "viewer", "viewer-test").close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.size() == before);
    }
}
