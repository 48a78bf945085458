package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.model.api.ReceiverInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookReceiverTest {
    static final String SECRET = "whsec-4f1b9c";
    static final String PATH = "/monitor/hook-token-77";
    final ObjectMapper json = new ObjectMapper();

    @Test
    void postsTheNotificationAsSignedJson() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer()) {
            WebhookReceiver receiver = new WebhookReceiver("ops-webhook", server.uri(PATH), SECRET, Duration.ofSeconds(10));
            Notification n = TestNotifications.firing("ops-webhook");

            DeliveryResult result = receiver.deliver(n);

            assertThat(result.accepted()).isTrue();
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.detail()).isEqualTo("HTTP 200 from 127.0.0.1:" + server.port());
            RecordingHttpServer.Request request = server.single();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo(PATH);
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("User-Agent")).isEqualTo("monitor-notifier");
            assertThat(request.header("Idempotency-Key")).isEqualTo(n.id());
            assertThat(request.header("X-Monitor-Signature")).isEqualTo("sha256=" + hmacSha256Hex(SECRET, request.body()));

            JsonNode body = json.readTree(request.body());
            assertThat(iterable(body.fieldNames())).containsExactly("status", "receiver", "group_key", "notification_id", "test", "alerts");
            assertThat(body.get("status").asText()).isEqualTo("firing");
            assertThat(body.get("receiver").asText()).isEqualTo("ops-webhook");
            assertThat(body.get("group_key").asText()).isEqualTo(n.groupKey());
            assertThat(body.get("notification_id").asText()).isEqualTo(n.id());
            assertThat(body.get("test").asBoolean()).isFalse();
            assertThat(body.get("alerts")).hasSize(2);
            JsonNode first = body.get("alerts").get(0);
            assertThat(first.get("alert_id").asText()).isEqualTo("a1");
            assertThat(first.get("rule").asText()).isEqualTo("critical_error");
            assertThat(first.get("severity").asText()).isEqualTo("critical");
            assertThat(first.get("message").asText()).isEqualTo("Database connection lost on db-1");
            assertThat(first.get("count").asInt()).isEqualTo(3);
            assertThat(first.get("first_seen").asText()).as("dates as ISO-8601 text").isEqualTo("2026-11-30T10:00:00Z");
            assertThat(first.get("labels").get("symbol").asText()).isEqualTo("AAPL");
            assertThat(body.get("alerts").get(1).get("rule").asText()).isEqualTo("job_stale");
        }
    }

    @Test
    void withoutASecretNothingIsSignedAndResolvedAndTestAreSaid() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer().answering(204, "")) {
            WebhookReceiver receiver = new WebhookReceiver("plain", server.uri("/"), null, Duration.ofSeconds(10));
            Notification resolved = TestNotifications.resolved("plain");
            Notification test = new Notification("t-1", "plain", Notification.FIRING, "test:plain",
                    List.of(TestNotifications.alert("t", "test", "info", "a test", "firing")), true);

            assertThat(receiver.deliver(resolved).accepted()).isTrue();
            assertThat(receiver.deliver(test)).extracting(DeliveryResult::accepted, DeliveryResult::statusCode).containsExactly(true, 204);

            assertThat(server.requests()).hasSize(2);
            assertThat(server.requests().get(0).header("X-Monitor-Signature")).isNull();
            assertThat(json.readTree(server.requests().get(0).body()).get("status").asText()).isEqualTo("resolved");
            assertThat(json.readTree(server.requests().get(1).body()).get("test").asBoolean()).isTrue();
            assertThat(server.requests().get(1).header("Idempotency-Key")).isEqualTo("t-1");
            assertThat(receiver.describe().signed()).isFalse();
        }
    }

    @Test
    void describeShowsTheTargetWithoutPathOrSecret() {
        WebhookReceiver receiver = new WebhookReceiver("ops-webhook",
                java.net.URI.create("https://user:pw@hooks.example.com:8443" + PATH + "?token=q1"), SECRET, Duration.ofSeconds(3));

        assertThat(receiver.describe()).isEqualTo(new ReceiverInfo("ops-webhook", "webhook", "https://hooks.example.com:8443", null,
                3000L, true));
    }

    @Test
    void failuresAreNotAcceptedInTimeAndWithoutSecrets() throws Exception {
        HttpReceiverFailures.check(uri -> new WebhookReceiver("ops-webhook", uri, SECRET, HttpReceiverFailures.TIMEOUT), PATH,
                List.of(SECRET), TestNotifications.firing("ops-webhook"));
    }

    /** Computed here, independently of the receiver: what a webhook consumer does to verify. */
    static String hmacSha256Hex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
