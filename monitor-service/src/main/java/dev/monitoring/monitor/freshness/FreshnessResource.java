package dev.monitoring.monitor.freshness;

import dev.monitoring.monitor.api.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/api/freshness")
@Produces(MediaType.APPLICATION_JSON)
public class FreshnessResource {
    private final FreshnessQueries queries;

    public FreshnessResource(FreshnessQueries queries) {
        this.queries = queries;
    }

    /**
     * Summary over every target; each status list holds at most {@code limit} rows (default 50), the stalest first,
     * after skipping {@code offset} rows of it (default 0): a page of each list. The counts of the summary are always
     * over every target, so they tell how many pages a list has.
     */
    @GET
    public Uni<Map<String, Object>> freshness(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        int n = QueryParams.limit(limit, 50);
        int skip = QueryParams.offset(offset);
        return queries.all().map(rows -> {
            Map<String, List<Map<String, Object>>> byStatus = new LinkedHashMap<>();
            Map<String, Object> summary = new LinkedHashMap<>();
            for (FreshnessStatus status : FreshnessStatus.values()) {
                List<FreshnessRow> matching = rows.stream().filter(r -> r.status() == status)
                        // stable sort over rows read in (job, symbol, timeframe) order: pages neither overlap nor skip
                        .sorted(Comparator.comparing(FreshnessRow::stalenessSeconds, Comparator.nullsFirst(Comparator.reverseOrder())))
                        .toList();
                summary.put(status.wireName() + "_count", matching.size());
                List<Map<String, Object>> shown = new ArrayList<>();
                matching.stream().skip(skip).limit(n).forEach(r -> shown.add(toJson(r)));
                byStatus.put(status.wireName(), shown);
            }
            summary.put("total_monitored", rows.size());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("timestamp", Instant.now());
            body.put("summary", summary);
            body.put("by_status", byStatus);
            return body;
        });
    }

    static Map<String, Object> toJson(FreshnessRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", r.symbol());
        m.put("timeframe", r.timeframe());
        m.put("job", r.job());
        m.put("last_computed_at", r.lastSuccessAt());
        m.put("staleness_seconds", r.stalenessSeconds());
        m.put("status", r.status().wireName());
        m.put("data_point_count", r.dataPointCount());
        return m;
    }
}
