package dev.monitoring.monitor.errors;

import dev.monitoring.model.api.ErrorDetail;
import dev.monitoring.model.api.ErrorHealth;
import dev.monitoring.model.api.ErrorStatistics;
import dev.monitoring.model.api.ErrorSummary;
import dev.monitoring.model.api.ErrorTimeline;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;
import dev.monitoring.monitor.api.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read side of errors: stored rows, groups, and the per-minute counts of everything received. */
@ApplicationScoped
public class ErrorQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECENT = """
            SELECT error_id, error_type, error_message, severity, category, symbol, component, occurred_at
            FROM monitor.error_logs
            WHERE ($2::text IS NULL OR severity = $2) AND ($3::text IS NULL OR category = $3)
              AND ($4::text IS NULL OR symbol = $4) AND ($5::timestamptz IS NULL OR occurred_at >= $5)
            ORDER BY received_at DESC, id DESC
            LIMIT $1""";

    private final Pool pool;
    private final ErrorsConfig config;

    public ErrorQueries(Pool pool, ErrorsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public Uni<List<ErrorSummary>> recent(int limit, Severity severity, Category category, String symbol, Instant since) {
        Tuple params = Tuple.tuple(Arrays.asList(limit, severity == null ? null : severity.wireName(),
                category == null ? null : category.wireName(), symbol, since == null ? null : since.atOffset(ZoneOffset.UTC)));
        return pool.preparedQuery(RECENT).execute(params).map(rows -> {
            List<ErrorSummary> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new ErrorSummary(r.getString("error_id"), r.getString("error_type"), r.getString("error_message"),
                        r.getString("severity"), r.getString("category"), r.getString("symbol"),
                        r.getString("component"), Rows.instant(r, "occurred_at")));
            }
            return list;
        });
    }

    /**
     * The error's claim gives its received_at: PostgreSQL then reads only that day's partition, through the received_at
     * index, so error_logs needs no index of its own on error_id (one less index to write per stored error).
     */
    private static final String BY_ID = """
            SELECT * FROM monitor.error_logs
            WHERE received_at = (SELECT received_at FROM monitor.error_ids WHERE error_id = $1) AND error_id = $1""";

    public Uni<ErrorDetail> byId(String errorId) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(errorId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    return detail(rows.iterator().next());
                });
    }

    /** A row of error_logs as the contract's ErrorDetail. */
    public static ErrorDetail detail(Row r) {
        Object context = r.getValue("context");
        return new ErrorDetail(r.getString("error_id"), r.getString("error_id"), r.getString("error_type"),
                r.getString("error_message"), r.getString("error_traceback"), r.getString("severity"),
                r.getString("category"), r.getString("component"), r.getString("operation"), r.getString("symbol"),
                r.getString("timeframe"), context == null ? null : JSON.valueToTree(
                        context instanceof JsonObject json ? json.getMap() : context),
                r.getString("fingerprint"), Rows.instant(r, "occurred_at"), Rows.instant(r, "received_at"));
    }

    /** Counts from error_counts, so errors below the severity filter are included. */
    public Uni<ErrorStatistics> statistics(int hours) {
        // the minutes of the window's first, partial hour, then whole hours (an hour's row holds its minutes so far)
        String sql = """
                WITH w AS (SELECT date_trunc('minute', now()) - make_interval(hours => $1) AS start),
                     h AS (SELECT date_trunc('hour', w.start, 'UTC') + interval '1 hour' AS first_whole FROM w)
                SELECT severity, category, sum(n) AS n FROM (
                    SELECT c.severity, c.category, c.count AS n FROM monitor.error_counts c, w, h
                    WHERE c.bucket >= w.start AND c.bucket < h.first_whole
                    UNION ALL
                    SELECT o.severity, o.category, o.count FROM monitor.error_counts_hourly o, h
                    WHERE o.hour >= h.first_whole
                ) counts
                GROUP BY severity, category""";
        return pool.preparedQuery(sql).execute(Tuple.of(hours)).map(rows -> {
            Map<String, Long> bySeverity = new LinkedHashMap<>();
            Arrays.stream(Severity.values()).forEach(s -> bySeverity.put(s.wireName(), 0L));
            Map<String, Long> byCategory = new LinkedHashMap<>();
            Arrays.stream(Category.values()).forEach(c -> byCategory.put(c.wireName(), 0L));
            long total = 0;
            for (Row r : rows) {
                long n = r.getLong("n");
                bySeverity.merge(r.getString("severity"), n, Long::sum);
                byCategory.merge(r.getString("category"), n, Long::sum);
                total += n;
            }
            return new ErrorStatistics("last_" + hours + "_hours", bySeverity, byCategory, total);
        });
    }

    public Uni<ErrorTimeline> timeline(int hours, int bucketMinutes) {
        long bucketSeconds = bucketMinutes * 60L;
        Instant now = Instant.now();
        long startEpoch = Math.floorDiv(now.minus(hours, ChronoUnit.HOURS).getEpochSecond(), bucketSeconds) * bucketSeconds;
        // buckets of whole hours start on a whole hour (startEpoch is a multiple of the bucket): the hourly counts
        // make them up, a 60th of the rows
        boolean hourly = bucketSeconds % 3600 == 0;
        String sql = """
                SELECT floor(extract(epoch FROM %1$s) / $1)::bigint * $1 AS start, severity, sum(count) AS n
                FROM %2$s WHERE %1$s >= $2
                GROUP BY 1, 2""".formatted(hourly ? "hour" : "bucket", hourly ? "monitor.error_counts_hourly" : "monitor.error_counts");
        Tuple params = Tuple.of(bucketSeconds, Instant.ofEpochSecond(startEpoch).atOffset(ZoneOffset.UTC));
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            Map<Long, long[]> counts = new LinkedHashMap<>();
            for (long t = startEpoch; t <= now.getEpochSecond(); t += bucketSeconds) {
                counts.put(t, new long[Severity.values().length]);
            }
            for (Row r : rows) {
                long[] c = counts.get(r.getLong("start"));
                Severity severity = Severity.parse(r.getString("severity")).orElse(null);
                if (c != null && severity != null) {
                    c[severity.ordinal()] += r.getLong("n");
                }
            }
            List<ErrorTimeline.Bucket> buckets = new ArrayList<>();
            counts.forEach((start, c) -> buckets.add(new ErrorTimeline.Bucket(Instant.ofEpochSecond(start),
                    c[Severity.DEBUG.ordinal()], c[Severity.INFO.ordinal()], c[Severity.WARNING.ordinal()],
                    c[Severity.ERROR.ordinal()], c[Severity.CRITICAL.ordinal()])));
            return new ErrorTimeline("last_" + hours + "_hours", bucketMinutes, buckets);
        });
    }

    public Uni<ErrorHealth> health() {
        String sql = """
                SELECT coalesce(sum(count) FILTER (WHERE severity = 'critical'), 0) AS critical,
                       coalesce(sum(count) FILTER (WHERE severity IN ('error', 'critical')), 0) AS errors
                FROM monitor.error_counts
                WHERE bucket >= date_trunc('minute', now()) - make_interval(mins => $1)""";
        return pool.preparedQuery(sql).execute(Tuple.of(config.healthWindowMinutes() - 1)).map(rows -> {
            Row r = rows.iterator().next();
            long critical = r.getLong("critical");
            long errors = r.getLong("errors");
            String status = critical > 0 ? "critical" : errors > config.degradedAbove() ? "degraded" : "operational";
            String health = switch (status) {
                case "critical" -> "red";
                case "degraded" -> "yellow";
                default -> "green";
            };
            return new ErrorHealth(status, health, critical, errors, Instant.now());
        });
    }
}
