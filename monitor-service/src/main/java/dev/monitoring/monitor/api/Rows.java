package dev.monitoring.monitor.api;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Small null-safe readers for result rows. */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    public static long longOrZero(Row row, String column) {
        Long v = row.getLong(column);
        return v == null ? 0 : v;
    }

    /** A job's target column: stored as '' for untargeted jobs (so the unique key works), shown as null. */
    public static String target(Row row, String column) {
        String v = row.getString(column);
        return v == null || v.isEmpty() ? null : v;
    }

    /** One decimal, as the API promises for hours and rates. */
    public static Double oneDecimal(Double v) {
        return v == null ? null : Math.round(v * 10.0) / 10.0;
    }
}
