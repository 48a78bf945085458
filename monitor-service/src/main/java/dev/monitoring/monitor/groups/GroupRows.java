package dev.monitoring.monitor.groups;

import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.model.api.ErrorGroupActivity;
import dev.monitoring.monitor.api.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import java.util.Map;

/** Rows of error_groups and error_group_activity as the contract's records. */
final class GroupRows {
    private GroupRows() {
    }

    static ErrorGroup group(Row r) {
        String state = r.getString("state");
        ErrorGroup.Ignore ignore = "ignored".equals(state)
                ? new ErrorGroup.Ignore(Rows.instant(r, "ignore_until"), r.getLong("ignore_more_than"), r.getLong("ignore_rate_per_hour"))
                : null;
        return new ErrorGroup(r.getString("fingerprint"), r.getString("error_type"), r.getString("component"),
                r.getString("operation"), r.getString("message_pattern"), r.getString("severity"), r.getString("category"),
                r.getLong("count"), Rows.instant(r, "first_seen"), Rows.instant(r, "last_seen"), r.getString("last_error_id"),
                state, Rows.instant(r, "state_changed_at"), Rows.instant(r, "resolved_at"), r.getString("resolved_in_release"),
                Rows.instant(r, "last_occurred"),
                ignore, Rows.instant(r, "reopened_at"), r.getString("merged_into"));
    }

    static ErrorGroupActivity activity(Row r) {
        Object detail = r.getValue("detail");
        Map<String, Object> map = detail instanceof JsonObject j ? j.getMap()
                : detail == null ? Map.of() : new JsonObject(String.valueOf(detail)).getMap();
        return new ErrorGroupActivity(r.getLong("id"), r.getString("fingerprint"), r.getString("action"), r.getString("actor"),
                r.getString("comment"), map, Rows.instant(r, "at"));
    }
}
