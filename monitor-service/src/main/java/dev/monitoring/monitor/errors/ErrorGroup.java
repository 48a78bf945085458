package dev.monitoring.monitor.errors;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** One group of errors with the same fingerprint ({@code /api/errors/groups}). */
public record ErrorGroup(String fingerprint, String type, String component, String operation, String message,
                         String severity, String category, long count,
                         @JsonProperty("first_seen") Instant firstSeen,
                         @JsonProperty("last_seen") Instant lastSeen,
                         @JsonProperty("last_error_id") String lastErrorId) {
}
