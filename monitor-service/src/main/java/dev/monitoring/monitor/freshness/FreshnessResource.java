package dev.monitoring.monitor.freshness;

import dev.monitoring.model.api.FreshnessReport;
import dev.monitoring.monitor.api.QueryParams;
import dev.monitoring.monitor.checks.CheckStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/api/freshness")
@Produces(MediaType.APPLICATION_JSON)
public class FreshnessResource {
    private final FreshnessQueries queries;
    private final CheckStore checks;

    public FreshnessResource(FreshnessQueries queries, CheckStore checks) {
        this.queries = queries;
        this.checks = checks;
    }

    /**
     * Summary over every target; each status list holds at most {@code limit} rows (default 50), the stalest first,
     * after skipping {@code offset} rows of it (default 0): a page of each list. The counts of the summary are always
     * over every target, so they tell how many pages a list has.
     */
    @GET
    public Uni<FreshnessReport> freshness(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        int n = QueryParams.limit(limit, 50);
        int skip = QueryParams.offset(offset);
        return Uni.combine().all().unis(queries.all(), checks.summary()).with((rows, checkSummary) -> {
            Map<String, List<FreshnessReport.Target>> byStatus = new LinkedHashMap<>();
            Map<FreshnessStatus, Integer> counts = new EnumMap<>(FreshnessStatus.class);
            for (FreshnessStatus status : FreshnessStatus.values()) {
                List<FreshnessRow> matching = rows.stream().filter(r -> r.status() == status)
                        // stable sort over rows read in (job, symbol, timeframe) order: pages neither overlap nor skip
                        .sorted(Comparator.comparing(FreshnessRow::stalenessSeconds, Comparator.nullsFirst(Comparator.reverseOrder())))
                        .toList();
                counts.put(status, matching.size());
                byStatus.put(status.wireName(), matching.stream().skip(skip).limit(n).map(FreshnessResource::target).toList());
            }
            FreshnessReport.Summary summary = new FreshnessReport.Summary(counts.get(FreshnessStatus.FRESH),
                    counts.get(FreshnessStatus.AGING), counts.get(FreshnessStatus.STALE), counts.get(FreshnessStatus.MISSING),
                    rows.size());
            return new FreshnessReport(Instant.now(), summary, byStatus, checkSummary);
        });
    }

    private static FreshnessReport.Target target(FreshnessRow r) {
        return new FreshnessReport.Target(r.symbol(), r.timeframe(), r.job(), r.lastSuccessAt(), r.stalenessSeconds(),
                r.status().wireName(), r.dataPointCount());
    }
}
