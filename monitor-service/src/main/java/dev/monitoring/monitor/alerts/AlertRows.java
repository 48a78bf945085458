package dev.monitoring.monitor.alerts;

import io.vertx.mutiny.sqlclient.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a row of {@code monitor.alerts} says beyond its plain columns. */
public final class AlertRows {
    private AlertRows() {
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

    /** The ids of the silences that held it when it was raised. */
    public static List<String> silencedBy(Row row) {
        String[] ids = row.getArrayOfStrings("silenced_by");
        return ids == null ? List.of() : List.of(ids);
    }
}
