package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/receivers/{name}/test}: what the receiver said to a test notification sent now. */
@Schema(name = "ReceiverTestResult")
public record ReceiverTestResult(@Schema(example = "ops-webhook") String receiver,
                                 @Schema(example = "webhook") String type,
                                 boolean accepted,
                                 @Schema(example = "200", description = "HTTP status of the receiver, 0 when there was none (SMTP, timeout)")
                                 @JsonProperty("status_code") int statusCode,
                                 @Schema(example = "HTTP 200") String detail,
                                 @Schema(example = "12") @JsonProperty("duration_ms") long durationMs) {
}
