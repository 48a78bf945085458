package dev.monitoring.monitor.freshness;

import dev.monitoring.monitor.api.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the freshness table and classifies each row against its thresholds. */
@ApplicationScoped
public class FreshnessQueries {
    private final Pool pool;
    private final FreshnessConfig config;

    public FreshnessQueries(Pool pool, FreshnessConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public Uni<List<FreshnessRow>> all() {
        return pool.query("SELECT * FROM monitor.freshness ORDER BY job, symbol, timeframe").execute().map(rows -> {
            Instant now = Instant.now();
            List<FreshnessRow> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(classify(r, now));
            }
            return list;
        });
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
