package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.model.api.ReceiverInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PagerDutyReceiverTest {
    static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdef012345";
    static final String PATH = "/v2/enqueue";
    final ObjectMapper json = new ObjectMapper();

    @Test
    void triggersAnEventsApiV2Event() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer().answering(202,
                "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}")) {
            PagerDutyReceiver receiver = new PagerDutyReceiver("oncall", server.uri(PATH), ROUTING_KEY, Duration.ofSeconds(10));
            Notification n = TestNotifications.firing("oncall");
            Instant before = Instant.now().minusSeconds(1);

            DeliveryResult result = receiver.deliver(n);

            assertThat(result.accepted()).isTrue();
            assertThat(result.statusCode()).isEqualTo(202);
            RecordingHttpServer.Request request = server.single();
            assertThat(request.path()).isEqualTo(PATH);
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("Idempotency-Key")).isEqualTo(n.id());
            JsonNode event = json.readTree(request.body());
            assertThat(event.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
            assertThat(event.get("event_action").asText()).isEqualTo("trigger");
            assertThat(event.get("dedup_key").asText()).isEqualTo(n.groupKey());
            JsonNode payload = event.get("payload");
            assertThat(payload.get("summary").asText())
                    .isEqualTo("[FIRING] 2 alerts: critical_error, job_stale - Database connection lost on db-1");
            assertThat(payload.get("source").asText()).isEqualTo("monitor-service");
            assertThat(payload.get("severity").asText()).as("the highest of critical and warning").isEqualTo("critical");
            assertThat(Instant.parse(payload.get("timestamp").asText())).isBetween(before, Instant.now().plusSeconds(1));
            assertThat(payload.get("group").asText()).isEqualTo("critical_error");
            JsonNode details = payload.get("custom_details");
            assertThat(details.get("notification_id").asText()).isEqualTo(n.id());
            assertThat(details.get("alerts")).hasSize(2);
            assertThat(details.get("alerts").get(1).get("message").asText()).isEqualTo("Job prices is stale for AAPL daily");
        }
    }

    @Test
    void resolvesWithTheSameDedupKeyAndBoundsKeyAndSummary() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer().answering(202, "{}")) {
            PagerDutyReceiver receiver = new PagerDutyReceiver("oncall", server.uri(PATH), ROUTING_KEY, Duration.ofSeconds(10));
            Notification resolved = TestNotifications.resolved("oncall");
            String longKey = "route0:" + "k".repeat(300);
            Notification big = new Notification("n-big", "oncall", Notification.FIRING, longKey,
                    List.of(TestNotifications.alert("b", "error_rate", "error", "m".repeat(3000), "firing"),
                            TestNotifications.alert("c", "stream_gap", "debug", "x", "firing")), false);

            assertThat(receiver.deliver(resolved).accepted()).isTrue();
            assertThat(receiver.deliver(big).accepted()).isTrue();

            JsonNode resolve = json.readTree(server.requests().get(0).body());
            assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
            assertThat(resolve.get("dedup_key").asText()).isEqualTo(resolved.groupKey());
            JsonNode trigger = json.readTree(server.requests().get(1).body());
            assertThat(trigger.get("dedup_key").asText()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(longKey.getBytes(StandardCharsets.UTF_8))));
            assertThat(trigger.get("payload").get("summary").asText()).hasSize(1024).endsWith("...");
            assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("error");
        }
        assertThat(PagerDutyReceiver.severity(List.of(Map.of("severity", "debug")))).isEqualTo("info");
        assertThat(PagerDutyReceiver.severity(List.of(Map.of("severity", "warning"), Map.of("severity", "info")))).isEqualTo("warning");
        assertThat(PagerDutyReceiver.severity(List.of())).isEqualTo("info");
    }

    @Test
    void describeNeverShowsTheRoutingKey() {
        PagerDutyReceiver receiver = new PagerDutyReceiver("oncall", URI.create("https://events.pagerduty.com/v2/enqueue"),
                ROUTING_KEY, Duration.ofSeconds(5));
        assertThat(receiver.describe()).isEqualTo(new ReceiverInfo("oncall", "pagerduty", "https://events.pagerduty.com", null,
                5000L, null));
    }

    @Test
    void failuresAreNotAcceptedInTimeAndWithoutTheRoutingKey() throws Exception {
        HttpReceiverFailures.check(uri -> new PagerDutyReceiver("oncall", uri, ROUTING_KEY, HttpReceiverFailures.TIMEOUT),
                "/v2/enqueue/" + "p4th", List.of(ROUTING_KEY), TestNotifications.firing("oncall"));
    }
}
