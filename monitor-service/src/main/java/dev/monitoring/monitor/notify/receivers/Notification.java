package dev.monitoring.monitor.notify.receivers;

import java.util.List;
import java.util.Map;

/**
 * One message to one receiver: a group's alerts at one moment.
 *
 * @param id       unique per notification and stable across its retries: the receivers' idempotency key
 * @param status   {@code firing} when any of its alerts still fires, {@code resolved} when all have ended
 * @param groupKey the group it speaks for (route and group_by values)
 * @param alerts   the alerts as the alerts API shows them (alert_id, rule, severity, message, key, first_seen,
 *                 last_seen, count, status, labels ...), firing ones first
 * @param test     a test notification from {@code POST /api/receivers/{name}/test}
 */
public record Notification(String id, String receiver, String status, String groupKey, List<Map<String, Object>> alerts,
                           boolean test) {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
}
