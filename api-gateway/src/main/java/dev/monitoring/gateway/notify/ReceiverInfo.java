package dev.monitoring.gateway.notify;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Documentation schema of a configured receiver, never with its secrets. */
@Schema(name = "Receiver")
public record ReceiverInfo(
        @Schema(example = "ops-webhook") String name,
        @Schema(enumeration = {"webhook", "slack", "email", "pagerduty"}) String type,
        @Schema(example = "https://hooks.example.com", description = "where it delivers, without path or secrets") String target) {
}
