package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A receiver as {@code /api/receivers} shows it: never a secret nor a URL path, only where it points. {@code to} is
 * an email receiver's, {@code signed} a webhook's (whether it signs its bodies).
 */
@Schema(name = "Receiver")
public record ReceiverInfo(@Schema(example = "ops-webhook") String name,
                           @Schema(enumeration = {"webhook", "slack", "email", "pagerduty"}) String type,
                           @Schema(example = "https://hooks.example.com", description = "where it delivers, without path or secrets")
                           String target,
                           @Schema(nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) List<String> to,
                           @Schema(example = "5000") @JsonProperty("timeout_ms") long timeoutMs,
                           @Schema(nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) Boolean signed) {
}
