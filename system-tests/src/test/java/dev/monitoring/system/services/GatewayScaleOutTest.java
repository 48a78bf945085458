package dev.monitoring.system.services;

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
                "MONITOR_URL", "http://127.0.0.1:" + nobody, "RUNNER_URL", "http://127.0.0.1:" + nobody));
        for (ServiceInstance gateway : gateways) {
            for (int i = 1; i <= CLIENTS_PER_GATEWAY; i++) {
                clients.add(new LiveClient(gateway.name() + "/client-" + i, gateway, "viewer", VIEWER_PASSWORD));
            }
        }
    }

    @AfterAll
    static void stopGateways() {
        clients.forEach(LiveClient::close);
        ServiceInstance.killAll(gateways);
    }

    @Test
    void everyClientGetsEveryEventOnceFromItsOwnGateway() throws Exception {
        for (LiveClient client : clients) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.framesOfType("hello").isEmpty());
        }
        List<String> ids = new ArrayList<>();
        try (Resp redis = new Resp()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.subscribers(ServiceInstance.ERRORS) >= 2);
            for (int i = 0; i < EVENTS; i++) {
                String id = "scaleout-ws-" + UUID.randomUUID();
                ids.add(id);
                long receivers = redis.publish(ServiceInstance.ERRORS, Http.JSON.writeValueAsString(Map.of(
                        "error_id", id, "error_type", "GatewayScaleOut", "error_message", "distinct message " + i,
                        "severity", "error", "category", "network", "timestamp", Instant.now().toString(),
                        "context", Map.of("component", "system-tests"))));
                assertThat(receivers).as("gateways subscribed to %s", ServiceInstance.ERRORS).isGreaterThanOrEqualTo(2);
                // under the per-client limit of 10 frames/s, so no folding: one frame per event is expected
                await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
        }
        for (LiveClient client : clients) {
            await().atMost(Duration.ofSeconds(10)).until(() -> errorIds(client).size() >= EVENTS);
        }
        // a duplicate would arrive right behind the original: give it time to show up
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

        for (LiveClient client : clients) {
            Map<String, Integer> received = new HashMap<>();
            errorIds(client).forEach(id -> received.merge(id, 1, Integer::sum));
            assertThat(received.keySet()).as("events received by %s", client).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(received).as("frames per event at %s", client).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(client.framesOfType("error")).filteredOn(f -> f.has("error"))
                    .allSatisfy(f -> assertThat(f.path("count").asInt()).isEqualTo(1));
            assertThat(client.framesOfType("dropped")).as("dropped frames at %s", client).isEmpty();
        }
    }

    private static List<String> errorIds(LiveClient client) {
        return client.framesOfType("error").stream().filter(f -> f.has("error"))
                .map(f -> f.path("error").path("id").asText())
                .filter(id -> id.startsWith("scaleout-ws-")).toList();
    }
}
