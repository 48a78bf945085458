package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/freshness}: counts over every target, and a page of each status's targets ({@code by_status}, keyed by
 * {@code fresh|aging|stale|missing}), the stalest first.
 */
@Schema(name = "FreshnessReport")
public record FreshnessReport(Instant timestamp, Summary summary,
                              @JsonProperty("by_status") Map<String, List<Target>> byStatus,
                              @Schema(description = "the checks (expected jobs signalled by pings or events) at a glance")
                              CheckSummary checks) {

    @Schema(name = "FreshnessSummary")
    public record Summary(@JsonProperty("fresh_count") int freshCount,
                          @JsonProperty("aging_count") int agingCount,
                          @JsonProperty("stale_count") int staleCount,
                          @JsonProperty("missing_count") int missingCount,
                          @JsonProperty("total_monitored") int totalMonitored) {
    }

    /** One target (job, symbol, timeframe) and how fresh its data is. */
    @Schema(name = "FreshnessTarget")
    public record Target(String symbol, String timeframe, String job,
                         @JsonProperty("last_computed_at") Instant lastComputedAt,
                         @JsonProperty("staleness_seconds") Long stalenessSeconds,
                         @Schema(enumeration = {"fresh", "aging", "stale", "missing"}) String status,
                         @JsonProperty("data_point_count") long dataPointCount) {
    }
}
