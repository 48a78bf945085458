package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A stream entry given up after too many deliveries ({@code /api/dead-letters}), with why and its payload. */
@Schema(name = "DeadLetter")
public record DeadLetter(long id, String stream, @JsonProperty("entry_id") String entryId, long deliveries, String reason,
                         String payload, @JsonProperty("dead_at") Instant deadAt) {
}
