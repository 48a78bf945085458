package dev.monitoring.monitor.alerts;

import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.freshness.FreshnessQueries;
import dev.monitoring.monitor.freshness.FreshnessStatus;
import dev.monitoring.monitor.ingest.StreamLag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The alert rules of issue 3, each a query over the stored errors (or the freshness table) returning what holds now. */
@ApplicationScoped
public class AlertRules {
    private static final String BY_GROUP = """
            SELECT fingerprint, count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen,
                   (array_agg(coalesce(error_type, 'Error') || ': ' || error_message ORDER BY received_at DESC))[1] AS sample
            FROM monitor.error_logs
            WHERE %s AND received_at >= now() - make_interval(secs => $1)
            GROUP BY fingerprint""";

    private final Pool pool;
    private final AlertsConfig config;
    private final FreshnessQueries freshness;
    private final StreamLag streams;

    public AlertRules(Pool pool, AlertsConfig config, FreshnessQueries freshness, StreamLag streams) {
        this.pool = pool;
        this.config = config;
        this.freshness = freshness;
        this.streams = streams;
    }

    public Uni<List<AlertCondition>> evaluate() {
        return Uni.join().all(criticalErrors(), databaseErrors(), errorRate(), categoryBursts(), patternFailures(), staleJobs(),
                        streamGaps())
                .andFailFast()
                .map(lists -> {
                    List<AlertCondition> all = new ArrayList<>();
                    lists.forEach(all::addAll);
                    return all;
                });
    }

    private Uni<List<AlertCondition>> criticalErrors() {
        return query(BY_GROUP.formatted("severity = 'critical'"), Tuple.of(seconds(config.criticalWindow())), r ->
                condition("critical_error", "critical_error:" + r.getString("fingerprint"), "critical",
                        "Critical error: " + r.getString("sample"), r));
    }

    private Uni<List<AlertCondition>> databaseErrors() {
        return query(BY_GROUP.formatted("category = 'database'"), Tuple.of(seconds(config.databaseWindow())), r ->
                condition("database_error", "database_error:" + r.getString("fingerprint"), "error",
                        "Database error: " + r.getString("sample"), r));
    }

    private Uni<List<AlertCondition>> errorRate() {
        String sql = """
                SELECT count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen FROM monitor.error_logs
                WHERE received_at >= now() - make_interval(secs => $1) HAVING count(*) > $2""";
        return query(sql, Tuple.of(seconds(config.errorRateWindow()), config.errorRateThreshold()), r ->
                condition("error_rate", "error_rate", "error", r.getLong("n") + " errors within "
                        + config.errorRateWindow().toSeconds() + " s (threshold " + config.errorRateThreshold() + ")", r));
    }

    private Uni<List<AlertCondition>> categoryBursts() {
        String sql = """
                SELECT category, count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen
                FROM monitor.error_logs WHERE received_at >= now() - make_interval(secs => $1)
                GROUP BY category HAVING count(*) > $2""";
        return query(sql, Tuple.of(seconds(config.categoryBurstWindow()), config.categoryBurstThreshold()), r ->
                condition("category_burst", "category_burst:" + r.getString("category"), "warning",
                        r.getLong("n") + " '" + r.getString("category") + "' errors within "
                                + config.categoryBurstWindow().toSeconds() + " s (threshold " + config.categoryBurstThreshold() + ")", r));
    }

    private Uni<List<AlertCondition>> patternFailures() {
        String sql = """
                SELECT symbol, count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen
                FROM monitor.error_logs WHERE category = 'pattern' AND symbol IS NOT NULL
                  AND received_at >= now() - make_interval(secs => $1)
                GROUP BY symbol HAVING count(*) > $2""";
        return query(sql, Tuple.of(seconds(config.patternFailuresWindow()), config.patternFailuresThreshold()), r ->
                condition("pattern_failures", "pattern_failures:" + r.getString("symbol"), "warning",
                        r.getLong("n") + " pattern failures for " + r.getString("symbol") + " within "
                                + config.patternFailuresWindow().toSeconds() + " s (threshold " + config.patternFailuresThreshold() + ")", r));
    }

    private Uni<List<AlertCondition>> staleJobs() {
        if (!config.staleJobs()) {
            return Uni.createFrom().item(List.of());
        }
        return freshness.all().map(rows -> rows.stream()
                .filter(r -> r.status() == FreshnessStatus.STALE)
                .map(r -> {
                    String target = r.job() + (r.symbol().isEmpty() ? "" : " " + r.symbol()) + (r.timeframe().isEmpty() ? "" : " " + r.timeframe());
                    return new AlertCondition("job_stale", "job_stale:" + r.job() + "|" + r.symbol() + "|" + r.timeframe(),
                            "warning", "Job " + target + " is stale: last success " + r.lastSuccessAt()
                            + " (" + r.stalenessSeconds() / 3600 + " h ago)", 1, r.lastSuccessAt(), r.lastSuccessAt());
                })
                .toList());
    }

    /** Events trimmed from a stream before any monitor stored them: lost for good, so it is said loudly. */
    private Uni<List<AlertCondition>> streamGaps() {
        return Uni.createFrom().item(() -> streams.gapsSince(java.time.Instant.now().minus(config.streamGapWindow())).stream()
                .map(g -> new AlertCondition("stream_gap", "stream_gap:" + g.stream(), "critical",
                        g.events() + " events were trimmed from " + g.stream() + " before the monitors stored them "
                                + "(monitors down or too slow for the stream's MAXLEN): they are lost", g.events(), g.firstSeen(), g.lastSeen()))
                .toList());
    }

    private Uni<List<AlertCondition>> query(String sql, Tuple params, Function<Row, AlertCondition> toCondition) {
        return pool.preparedQuery(sql).execute(params).map((RowSet<Row> rows) -> {
            List<AlertCondition> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(toCondition.apply(r));
            }
            return list;
        });
    }

    private static AlertCondition condition(String rule, String key, String severity, String message, Row r) {
        return new AlertCondition(rule, key, severity, message, r.getLong("n"), Rows.instant(r, "first_seen"), Rows.instant(r, "last_seen"));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
