package dev.monitoring.monitor.freshness;

import dev.monitoring.monitor.api.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the freshness table and classifies each row against its thresholds. */
@ApplicationScoped
public class FreshnessQueries {
    /**
     * The stale targets only, for the {@code job_stale} rule every few seconds: the database picks them (a success at
     * least the stale threshold ago and at least the fresh one ago, each the row's own, else the job's configured one,
     * else the global one: {@link FreshnessStatus#of}), so the rule never reads the whole table. Ordered like
     * {@link #all()}. $1/$2: jobs with a configured stale threshold and theirs, $3 the global one; $4..$6 the same
     * for the fresh threshold.
     */
    private static final String STALE = """
            SELECT * FROM monitor.freshness
            WHERE last_success_at IS NOT NULL
              AND last_success_at <= now() - make_interval(secs => coalesce(stale_seconds,
                    (SELECT o.s FROM unnest($1::text[], $2::bigint[]) AS o(j, s) WHERE o.j = job LIMIT 1), $3))
              AND last_success_at <= now() - make_interval(secs => coalesce(fresh_seconds,
                    (SELECT o.s FROM unnest($4::text[], $5::bigint[]) AS o(j, s) WHERE o.j = job LIMIT 1), $6))
            ORDER BY job, symbol, timeframe""";

    private final Pool pool;
    private final FreshnessConfig config;

    public FreshnessQueries(Pool pool, FreshnessConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public Uni<List<FreshnessRow>> all() {
        return pool.query("SELECT * FROM monitor.freshness ORDER BY job, symbol, timeframe").execute()
                .map(rows -> classified(rows, null));
    }

    /** Every target whose status is {@link FreshnessStatus#STALE} now. */
    public Uni<List<FreshnessRow>> stale() {
        List<String> staleJobs = new ArrayList<>();
        List<Long> staleSeconds = new ArrayList<>();
        List<String> freshJobs = new ArrayList<>();
        List<Long> freshSeconds = new ArrayList<>();
        config.jobs().forEach((job, t) -> {
            t.staleSeconds().ifPresent(s -> {
                staleJobs.add(job);
                staleSeconds.add(s);
            });
            t.freshSeconds().ifPresent(s -> {
                freshJobs.add(job);
                freshSeconds.add(s);
            });
        });
        Tuple params = Tuple.tuple()
                .addArrayOfString(staleJobs.toArray(String[]::new)).addArrayOfLong(staleSeconds.toArray(Long[]::new))
                .addLong(config.staleSeconds())
                .addArrayOfString(freshJobs.toArray(String[]::new)).addArrayOfLong(freshSeconds.toArray(Long[]::new))
                .addLong(config.freshSeconds());
        // classified again (the same rule as every other answer about freshness, on this clock): the database's
        // now() is the start of its statement, a few milliseconds before
        return pool.preparedQuery(STALE).execute(params).map(rows -> classified(rows, FreshnessStatus.STALE));
    }

    private List<FreshnessRow> classified(RowSet<Row> rows, FreshnessStatus only) {
        Instant now = Instant.now();
        List<FreshnessRow> list = new ArrayList<>();
        for (Row r : rows) {
            FreshnessRow row = classify(r, now);
            if (only == null || row.status() == only) {
                list.add(row);
            }
        }
        return list;
    }

    private FreshnessRow classify(Row r, Instant now) {
        String job = r.getString("job");
        Instant lastSuccess = Rows.instant(r, "last_success_at");
        Long age = lastSuccess == null ? null : Math.max(0, Duration.between(lastSuccess, now).toSeconds());
        var perJob = config.jobs().get(job);
        long fresh = r.getLong("fresh_seconds") != null ? r.getLong("fresh_seconds")
                : perJob != null && perJob.freshSeconds().isPresent() ? perJob.freshSeconds().get() : config.freshSeconds();
        long stale = r.getLong("stale_seconds") != null ? r.getLong("stale_seconds")
                : perJob != null && perJob.staleSeconds().isPresent() ? perJob.staleSeconds().get() : config.staleSeconds();
        return new FreshnessRow(job, Rows.target(r, "symbol"), Rows.target(r, "timeframe"), lastSuccess,
                Rows.instant(r, "last_attempt_at"), r.getString("last_status"), r.getString("last_error_message"),
                Rows.longOrZero(r, "data_point_count"), age, FreshnessStatus.of(age, fresh, stale));
    }
}
