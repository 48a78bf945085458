package dev.monitoring.monitor.freshness;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/freshness}: counts over every target, and a page of each status's targets ({@code by_status}, keyed by
 * {@code fresh|aging|stale|missing}), the stalest first.
 */
public record FreshnessReport(Instant timestamp, Summary summary,
                              @JsonProperty("by_status") Map<String, List<Target>> byStatus) {

    public record Summary(@JsonProperty("fresh_count") int freshCount,
                          @JsonProperty("aging_count") int agingCount,
                          @JsonProperty("stale_count") int staleCount,
                          @JsonProperty("missing_count") int missingCount,
                          @JsonProperty("total_monitored") int totalMonitored) {
    }

    /** One target (job, symbol, timeframe) and how fresh its data is. */
    public record Target(String symbol, String timeframe, String job,
                         @JsonProperty("last_computed_at") Instant lastComputedAt,
                         @JsonProperty("staleness_seconds") Long stalenessSeconds,
                         String status,
                         @JsonProperty("data_point_count") long dataPointCount) {

        static Target of(FreshnessRow r) {
            return new Target(r.symbol(), r.timeframe(), r.job(), r.lastSuccessAt(), r.stalenessSeconds(), r.status().wireName(),
                    r.dataPointCount());
        }
    }
}
