package dev.monitoring.monitor.notify;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/receivers/{name}/test}: what the receiver said to a test notification sent now. */
public record ReceiverTestResult(String receiver, String type, boolean accepted,
                                 @JsonProperty("status_code") int statusCode, String detail,
                                 @JsonProperty("duration_ms") long durationMs) {
}
