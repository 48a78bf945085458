package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One group of errors with the same fingerprint ({@code /api/errors/groups}). */
@Schema(name = "ErrorGroup")
public record ErrorGroup(String fingerprint, String type, String component, String operation, String message,
                         String severity, String category, long count,
                         @JsonProperty("first_seen") Instant firstSeen,
                         @JsonProperty("last_seen") Instant lastSeen,
                         @JsonProperty("last_error_id") String lastErrorId) {
}
