package dev.monitoring.gateway.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /api/health}. */
@Schema(name = "SystemHealth")
public record SystemHealth(
        @Schema(enumeration = {"UP", "DEGRADED", "DOWN"}) String status,
        String timestamp,
        @Schema(description = "Per service: status and its readiness checks (monitor-service, runner-service, api-gateway)") JsonNode services,
        @Schema(description = "Redis as seen by the gateway") JsonNode redis,
        @Schema(description = "PostgreSQL as seen by the monitor's readiness") JsonNode postgresql,
        @JsonProperty("monitor_subscription") @Schema(description = "The monitor's redis-subscription check, null when unknown") JsonNode monitorSubscription,
        @JsonProperty("error_health") @Schema(description = "The monitor's /api/errors/health, null when the monitor is down") JsonNode errorHealth,
        @Schema(description = "What the gateway's background watcher saw of each downstream's readiness: per service status (UNKNOWN, UP, DOWN, UNREACHABLE), since, checked_at, down_seconds and whether the WebSocket clients were alerted") JsonNode downstream) {
}
