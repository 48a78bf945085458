package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.model.api.ReceiverInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SlackReceiverTest {
    /** The whole path of a Slack incoming-webhook URL is its secret. */
    static final String PATH = "/services/T0001/B0002/XXXXsecretXXXX";
    final ObjectMapper json = new ObjectMapper();

    @Test
    void postsAReadableSummaryAsText() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer()) {
            SlackReceiver receiver = new SlackReceiver("ops-slack", server.uri(PATH), Duration.ofSeconds(10));
            Notification n = TestNotifications.firing("ops-slack");

            DeliveryResult result = receiver.deliver(n);

            assertThat(result.accepted()).isTrue();
            RecordingHttpServer.Request request = server.single();
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("Idempotency-Key")).isEqualTo(n.id());
            JsonNode body = json.readTree(request.body());
            assertThat(WebhookReceiverTest.iterable(body.fieldNames())).containsExactly("text");
            assertThat(body.get("text").asText()).isEqualTo("""
                    [FIRING] 2 alerts: critical_error, job_stale
                    • critical | critical_error | Database connection lost on db-1
                    • warning | job_stale | Job prices is stale for AAPL daily""");
        }
    }

    @Test
    void resolvedTestLongAndHostileMessagesReadWell() {
        assertThat(SlackReceiver.text(TestNotifications.resolved("s")))
                .isEqualTo("[RESOLVED] 1 alert: critical_error\n• critical | critical_error | Database connection lost on db-1");

        Notification test = new Notification("t", "s", Notification.FIRING, "test:s",
                List.of(TestNotifications.alert("t", "test", "info", "Test notification from monitor-service", "firing")), true);
        assertThat(SlackReceiver.text(test)).startsWith("[TEST] [FIRING] 1 alert: test\n");

        String hostile = "<!channel> @here boss & co\nsecond line " + "x".repeat(500);
        List<java.util.Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            alerts.add(TestNotifications.alert("a" + i, i < 24 ? "error_rate" : "category_burst", "error", hostile, "firing"));
        }
        String text = SlackReceiver.text(new Notification("n", "s", Notification.FIRING, "g", alerts, false));
        String[] lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("[FIRING] 25 alerts: error_rate, category_burst");
        assertThat(lines).hasSize(1 + SlackReceiver.MAX_LINES + 1);
        assertThat(lines[lines.length - 1]).isEqualTo("... and 5 more");
        assertThat(lines[1]).startsWith("• error | error_rate | &lt;!channel&gt; @\u200Bhere boss &amp; co second line xxx")
                .endsWith("...");
        assertThat(lines[1].length()).isLessThan(260);
        assertThat(text).doesNotContain("<!channel>").doesNotContain("@here");
    }

    @Test
    void describeNeverShowsTheUrlPath() {
        SlackReceiver receiver = new SlackReceiver("ops-slack", java.net.URI.create("https://hooks.slack.com" + PATH), Duration.ofSeconds(5));
        assertThat(receiver.describe()).isEqualTo(new ReceiverInfo("ops-slack", "slack", "https://hooks.slack.com", null, 5000L,
                null));
    }

    @Test
    void failuresAreNotAcceptedInTimeAndWithoutTheUrl() throws Exception {
        HttpReceiverFailures.check(uri -> new SlackReceiver("ops-slack", uri, HttpReceiverFailures.TIMEOUT), PATH, List.of(),
                TestNotifications.firing("ops-slack"));
    }
}
