package dev.monitoring.gateway.notify;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Documentation schema of the answer to a receiver test. */
@Schema(name = "ReceiverTestResult")
public record ReceiverTestResult(
        @Schema(example = "ops-webhook") String receiver,
        @Schema(example = "webhook") String type,
        boolean accepted,
        @Schema(example = "200", description = "HTTP status of the receiver, 0 when there was none (SMTP, timeout)")
        int status_code,
        @Schema(example = "HTTP 200") String detail,
        @Schema(example = "12") long duration_ms) {
}
