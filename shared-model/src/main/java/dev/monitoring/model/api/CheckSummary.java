package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The checks at a glance, as {@code /api/freshness} and {@code /api/scheduler-health} show them beside the jobs this
 * system runs: how many are in each state, and the ones that need someone (late, down, blocked) with the reason.
 */
@Schema(name = "CheckSummary")
public record CheckSummary(int total,
                           @Schema(description = "state -> number of checks, for every state that has one")
                           @JsonProperty("by_state") Map<String, Integer> byState,
                           @Schema(description = "the checks that are late, down or blocked, by name")
                           List<Trouble> trouble) {

    @Schema(name = "CheckTrouble")
    public record Trouble(@Schema(example = "nightly-backfill") String name,
                          @Schema(enumeration = {"late", "down", "blocked"}) String state,
                          @Schema(example = "no start within 600 s of 2026-11-30T05:00:00Z") String reason) {
    }
}
