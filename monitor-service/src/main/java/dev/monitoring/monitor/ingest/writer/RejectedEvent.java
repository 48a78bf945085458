package dev.monitoring.monitor.ingest.writer;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** A message that was not a valid event ({@code /api/rejected-events}): where it came, why, and its payload (cut). */
public record RejectedEvent(long id, String channel, String reason, String payload,
                            @JsonProperty("received_at") Instant receivedAt) {
}
