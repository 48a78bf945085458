package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.monitor.notify.config.ReceiverSpec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PagerDuty Events API v2: {@code {"routing_key","event_action":"trigger"|"resolve","dedup_key","client",
 * "payload":{"summary","source":"monitor-service","severity","timestamp","group","custom_details":{"alerts",
 * "notification_id","group_key"}}}}. The dedup key is the group key (its SHA-256 in hex when longer than 255
 * characters), so a resolved group resolves the incident its firing opened. The severity is the highest of the
 * alerts'. The routing key is a secret: never in a detail nor in {@link #describe()}. 2xx (202) is accepted.
 */
public final class PagerDutyReceiver extends HttpReceiver {
    public static final String SOURCE = "monitor-service";
    public static final int MAX_SUMMARY = 1024;
    public static final int MAX_DEDUP_KEY = 255;
    private static final List<String> SEVERITIES = List.of("info", "warning", "error", "critical");

    private final String routingKey;

    public PagerDutyReceiver(String name, URI url, String routingKey, Duration timeout) {
        super(name, url, timeout, List.of(routingKey));
        this.routingKey = routingKey;
    }

    public static PagerDutyReceiver from(ReceiverSpec spec) {
        return new PagerDutyReceiver(spec.name(), URI.create((String) spec.options().get("url")),
                (String) spec.options().get("routing_key"), (Duration) spec.options().get("timeout"));
    }

    @Override
    public String type() {
        return "pagerduty";
    }

    @Override
    protected byte[] body(Notification n) {
        List<Map<String, Object>> alerts = NotificationText.alerts(n);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alerts", new ArrayList<>(alerts));
        details.put("notification_id", n.id());
        details.put("group_key", n.groupKey());
        details.put("test", n.test());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", summary(n));
        payload.put("source", SOURCE);
        payload.put("severity", severity(alerts));
        payload.put("timestamp", Instant.now().toString());
        String group = alerts.isEmpty() ? "" : NotificationText.field(alerts.get(0), "rule");
        if (!group.isEmpty()) {
            payload.put("group", group);
        }
        payload.put("custom_details", details);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey);
        event.put("event_action", Notification.RESOLVED.equals(n.status()) ? "resolve" : "trigger");
        event.put("dedup_key", dedupKey(n.groupKey()));
        event.put("client", SOURCE);
        event.put("payload", payload);
        return json(event);
    }

    /** The headline and the first alert's message, at most {@value #MAX_SUMMARY} characters. */
    static String summary(Notification n) {
        List<Map<String, Object>> alerts = NotificationText.alerts(n);
        String s = NotificationText.headline(n);
        if (!alerts.isEmpty()) {
            String message = NotificationText.field(alerts.get(0), "message");
            if (!message.isEmpty()) {
                s += " - " + message;
            }
        }
        return NotificationText.cut(s, MAX_SUMMARY);
    }

    /** The highest severity of the alerts as PagerDuty names it: critical, error, warning, else info. */
    static String severity(List<Map<String, Object>> alerts) {
        int highest = 0;
        for (Map<String, Object> a : alerts) {
            highest = Math.max(highest, SEVERITIES.indexOf(NotificationText.field(a, "severity")));
        }
        return SEVERITIES.get(highest);
    }

    /** The group key, or its SHA-256 in hex when longer than PagerDuty's 255 characters. */
    public static String dedupKey(String groupKey) {
        String key = groupKey == null ? "" : groupKey;
        if (key.length() <= MAX_DEDUP_KEY) {
            return key;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
