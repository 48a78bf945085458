package dev.monitoring.monitor.notify.receivers;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A receiver as {@code /api/receivers} shows it: never a secret nor a URL path, only where it points. {@code to} is
 * an email receiver's, {@code signed} a webhook's (whether it signs its bodies).
 */
public record ReceiverInfo(String name, String type, String target,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<String> to,
                           @JsonProperty("timeout_ms") long timeoutMs,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Boolean signed) {
}
