package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A message that was not a valid event ({@code /api/rejected}): where it came, why, and its payload (cut). */
@Schema(name = "RejectedEvent")
public record RejectedEvent(long id, String channel, String reason, String payload,
                            @JsonProperty("received_at") Instant receivedAt) {
}
