package dev.monitoring.monitor.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.monitor.notify.receivers.Notification;

import java.util.List;
import java.util.Map;

/** One ledger entry, as notify-flush.lua (or {@link FailedDeliveries}) wrote it. */
record LedgerEntry(String json, String id, String receiver, String groupKey, String status, boolean fallback,
                   List<Map<String, Object>> alerts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static LedgerEntry parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            Map<String, Object> m = JSON.readValue(json, new TypeReference<>() {
            });
            Object alerts = m.get("alerts");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = alerts instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
            return new LedgerEntry(json, String.valueOf(m.get("notification_id")), String.valueOf(m.get("receiver")),
                    String.valueOf(m.get("group_key")), String.valueOf(m.get("status")), Boolean.TRUE.equals(m.get("fallback")),
                    list);
        } catch (Exception e) {
            return null;
        }
    }

    Notification notification(List<Map<String, Object>> alerts) {
        return new Notification(id, receiver, status, groupKey, alerts, false);
    }

    /** The labels of one of its alerts (rule and severity for an alert without labels). */
    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Map<String, Object> alert) {
        Object labels = alert.get("labels");
        return labels instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of("rule", String.valueOf(alert.get("rule")),
                "severity", String.valueOf(alert.get("severity")));
    }
}
