package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One stored error, whole ({@code /api/errors/{error_id}}); {@code id} repeats {@code error_id} for older clients. */
@Schema(name = "ErrorDetail")
public record ErrorDetail(String id,
                          @JsonProperty("error_id") String errorId,
                          @JsonProperty("error_type") String errorType,
                          @JsonProperty("error_message") String errorMessage,
                          @JsonProperty("error_traceback") String errorTraceback,
                          String severity, String category, String component, String operation, String symbol,
                          String timeframe,
                          @Schema(description = "the event's context as it was sent (metadata is free-form)") JsonNode context,
                          String fingerprint, Instant timestamp,
                          @JsonProperty("received_at") Instant receivedAt) {
}
