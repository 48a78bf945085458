package dev.monitoring.monitor.notify.receivers;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Notifications as the delivery pipeline builds them: alerts as the alerts API shows them. */
final class TestNotifications {
    static final OffsetDateTime FIRST_SEEN = OffsetDateTime.of(2026, 11, 30, 10, 0, 0, 0, ZoneOffset.UTC);

    private TestNotifications() {
    }

    static Map<String, Object> alert(String id, String rule, String severity, String message, String status) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alert_id", id);
        a.put("rule", rule);
        a.put("severity", severity);
        a.put("message", message);
        a.put("key", rule + ":" + id);
        a.put("first_seen", FIRST_SEEN);
        a.put("last_seen", FIRST_SEEN.plusMinutes(3));
        a.put("count", 3);
        a.put("status", status);
        a.put("labels", Map.of("rule", rule, "severity", severity, "symbol", "AAPL"));
        return a;
    }

    /** Two firing alerts of two rules (a critical first, then a warning). */
    static Notification firing(String receiver) {
        return new Notification("n-" + System.nanoTime(), receiver, Notification.FIRING, "route0:{rule=\"critical_error\"}",
                List.of(alert("a1", "critical_error", "critical", "Database connection lost on db-1", "firing"),
                        alert("a2", "job_stale", "warning", "Job prices is stale for AAPL daily", "firing")),
                false);
    }

    static Notification resolved(String receiver) {
        return new Notification("n-" + System.nanoTime(), receiver, Notification.RESOLVED, "route0:{rule=\"critical_error\"}",
                List.of(alert("a1", "critical_error", "critical", "Database connection lost on db-1", "resolved")), false);
    }
}
