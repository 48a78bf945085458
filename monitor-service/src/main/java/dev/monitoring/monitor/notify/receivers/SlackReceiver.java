package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.monitor.notify.config.ReceiverSpec;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat...): POSTs {@code {"text": "..."}} with a
 * readable summary, {@code [FIRING] 3 alerts: critical_error, error_rate} then one line per alert (severity, rule,
 * message cut to {@value #MESSAGE_CHARS} characters), at most {@value #MAX_LINES} lines. The whole URL is a secret:
 * only its scheme and host are ever shown. Event text cannot ping anyone: {@code < > &} are escaped as Slack asks
 * and {@code @} is followed by a zero-width space (no {@code @channel} from an error message).
 */
public final class SlackReceiver extends HttpReceiver {
    public static final int MESSAGE_CHARS = 200;
    public static final int MAX_LINES = 20;

    public SlackReceiver(String name, URI url, Duration timeout) {
        super(name, url, timeout, List.of());
    }

    public static SlackReceiver from(ReceiverSpec spec) {
        return new SlackReceiver(spec.name(), URI.create((String) spec.options().get("url")),
                (Duration) spec.options().get("timeout"));
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    protected byte[] body(Notification n) {
        return json(Map.of("text", text(n)));
    }

    /** The message as posted. */
    public static String text(Notification n) {
        List<Map<String, Object>> alerts = NotificationText.alerts(n);
        StringBuilder b = new StringBuilder(escape(NotificationText.headline(n)));
        int shown = 0;
        for (Map<String, Object> a : alerts) {
            if (shown == MAX_LINES) {
                b.append("\n... and ").append(alerts.size() - shown).append(" more");
                break;
            }
            String severity = NotificationText.field(a, "severity");
            String status = NotificationText.field(a, "status");
            b.append("\n• ").append(escape(severity.isEmpty() ? "-" : severity)).append(" | ")
                    .append(escape(NotificationText.field(a, "rule")))
                    .append(Notification.RESOLVED.equals(status) && !Notification.RESOLVED.equals(n.status()) ? " (resolved)" : "")
                    .append(" | ")
                    .append(escape(NotificationText.cut(NotificationText.field(a, "message"), MESSAGE_CHARS)));
            shown++;
        }
        return b.toString();
    }

    /** Slack's escaping of {@code & < >}, and no mention: {@code @} gets a zero-width space after it. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "@\u200B");
    }
}
