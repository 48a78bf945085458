package dev.monitoring.system.services;

import dev.monitoring.testsupport.LiveClient;
import dev.monitoring.testsupport.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two api-gateway instances subscribed to the same Redis channels, each with its own WebSocket clients: Redis
 * pub/sub fans every event out to every gateway, and each gateway serves its own clients, so every client gets every
 * event exactly once whichever replica it is connected to (no sticky sessions, no cross-gateway relay).
 */
class GatewayScaleOutTest {
    private static final String VIEWER_PASSWORD = "viewer-" + UUID.randomUUID();
    private static final int CLIENTS_PER_GATEWAY = 2;
    private static final int EVENTS = 30;

    private static List<ServiceInstance> gateways;
    private static final List<LiveClient> clients = new ArrayList<>();

    @BeforeAll
    static void startTwoGateways() throws Exception {
        int nobody = ServiceInstance.freePort();
        gateways = ServiceInstance.startAll("api-gateway", 2, ServiceInstance.env(
                "GATEWAY_ADMIN_PASSWORD", "admin-" + UUID.randomUUID(), "GATEWAY_VIEWER_PASSWORD", VIEWER_PASSWORD,
                "GATEWAY_SESSION_KEY", "system-tests-session-key-0123456789",
                // the live stream needs neither: hello carries health null while the monitor is unreachable
                "MONITOR_URL", "http://127.0.0.1:" + nobody, "RUNNER_URL", "http://127.0.0.1:" + nobody,
                "MONITOR_MANAGEMENT_URL", "http://127.0.0.1:" + nobody, "RUNNER_MANAGEMENT_URL", "http://127.0.0.1:" + nobody));
        for (ServiceInstance gateway : gateways) {
            for (int i = 1; i <= CLIENTS_PER_GATEWAY; i++) {
                clients.add(LiveClient.connect(gateway.name() + "/client-" + i, java.net.URI.create(gateway.url()), "viewer",
                        VIEWER_PASSWORD));
            }
        }
    }

    @AfterAll
    static void stopGateways() {
        clients.forEach(LiveClient::close);
        ServiceInstance.killAll(gateways);
    }

    /**
     * Every event published once reaches every client once. The events are published back to back (their messages
     * differ, so none folds into another whatever the rate limit), then a sentinel event: each client's frames leave in
     * the order its gateway received them, so once a client has the sentinel it has had every event before it, and a
     * second copy of one of them (a second subscription, a relay between gateways) would have come before it as well.
     */
    @Test
    void everyClientGetsEveryEventOnceFromItsOwnGateway() throws Exception {
        for (LiveClient client : clients) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.framesOfType("hello").isEmpty());
        }
        List<String> ids = new ArrayList<>();
        String sentinel = "scaleout-ws-sentinel-" + UUID.randomUUID();
        try (Resp redis = Resp.local()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.subscribers(ServiceInstance.ERRORS) >= 2);
            for (int i = 0; i < EVENTS; i++) {
                String id = "scaleout-ws-" + UUID.randomUUID();
                ids.add(id);
                assertThat(publish(redis, id, "distinct message " + i)).as("gateways subscribed to %s", ServiceInstance.ERRORS)
                        .isGreaterThanOrEqualTo(2);
            }
            publish(redis, sentinel, "sentinel, published last");
        }
        for (LiveClient client : clients) {
            await().alias("the sentinel at " + client).atMost(Duration.ofSeconds(20)).until(() -> errorIds(client).contains(sentinel));
        }

        for (LiveClient client : clients) {
            Map<String, Integer> received = new HashMap<>();
            errorIds(client).forEach(id -> received.merge(id, 1, Integer::sum));
            received.remove(sentinel);
            assertThat(received.keySet()).as("events received by %s", client).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(received).as("frames per event at %s", client).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(client.framesOfType("error")).filteredOn(f -> f.has("error"))
                    .allSatisfy(f -> assertThat(f.path("count").asInt()).isEqualTo(1));
            assertThat(client.framesOfType("dropped")).as("dropped frames at %s", client).isEmpty();
        }
    }

    private static long publish(Resp redis, String id, String message) throws Exception {
        return redis.publish(ServiceInstance.ERRORS, Http.JSON.writeValueAsString(Map.of(
                "error_id", id, "error_type", "GatewayScaleOut", "error_message", message,
                "severity", "error", "category", "network", "timestamp", Instant.now().toString(),
                "context", Map.of("component", "system-tests"))));
    }

    private static List<String> errorIds(LiveClient client) {
        return client.framesOfType("error").stream().filter(f -> f.has("error"))
                .map(f -> f.path("error").path("id").asText())
                .filter(id -> id.startsWith("scaleout-ws-")).toList();
    }

    /**
     * The dashboard's login on one replica is valid on the other (a load balancer without sticky sessions): both share
     * GATEWAY_SESSION_KEY. Started without it, each replica would draw its own key and the second would refuse the cookie.
     */
    @Test
    void aSessionCookieFromOneReplicaIsValidOnTheOther() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        var login = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateways.get(0).url() + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("j_username=viewer&j_password="
                        + java.net.URLEncoder.encode(VIEWER_PASSWORD, java.nio.charset.StandardCharsets.UTF_8)))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("monitoring-session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie from " + gateways.get(0) + ": " + login.headers().map()));

        for (ServiceInstance gateway : gateways) {
            var me = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url() + "/api/me"))
                    .header("Cookie", cookie).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).as("/api/me on %s with the cookie of %s", gateway, gateways.get(0)).isEqualTo(200);
            assertThat(Http.JSON.readTree(me.body()).path("user").asText()).isEqualTo("viewer");
        }
        var forged = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateways.get(1).url() + "/api/me"))
                .header("Cookie", cookie.substring(0, cookie.length() - 4) + "AAAA").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as("a tampered cookie").isNotEqualTo(200);
    }
}
