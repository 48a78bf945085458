package dev.monitoring.monitor.alerts;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An alert as it goes out on the alerts channel, to the receivers and in {@code /api/alerts}: the fields every alert
 * has, the labels notification routes match on, and whether silences hold it.
 */
public final class AlertJson {
    private AlertJson() {
    }

    public static Map<String, Object> json(String id, String rule, String severity, String message, String key, Instant firstSeen,
                                    Instant lastSeen, long count, boolean reminder, Instant timestamp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alert_id", id);
        m.put("rule", rule);
        m.put("severity", severity);
        m.put("message", message);
        m.put("key", key);
        m.put("first_seen", firstSeen);
        m.put("last_seen", lastSeen);
        m.put("count", count);
        m.put("reminder", reminder);
        m.put("timestamp", timestamp);
        return m;
    }

    /** Adds what notification needs and the dashboard shows: the labels, and whether silences hold it. */
    public static void labelled(Map<String, Object> alert, Map<String, String> labels, List<String> silencedBy) {
        alert.put("labels", labels);
        alert.put("silenced", !silencedBy.isEmpty());
        alert.put("silenced_by", silencedBy);
    }

    /** The labels stored with an alert (rule and severity for an alert stored before labels existed). */
    public static Map<String, String> labels(Row row) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("rule", row.getString("rule"));
        labels.put("severity", row.getString("severity"));
        Object stored = row.getValue("labels");
        if (stored instanceof io.vertx.core.json.JsonObject o) {
            o.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return labels;
    }

    public static List<String> silencedBy(Row row) {
        String[] ids = row.getArrayOfStrings("silenced_by");
        return ids == null ? List.of() : List.of(ids);
    }
}
