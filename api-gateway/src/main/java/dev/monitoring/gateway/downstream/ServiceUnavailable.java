package dev.monitoring.gateway.downstream;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a 503: which downstream service could not answer in time. */
@Schema(description = "A downstream service is down or did not answer within the timeout")
public record ServiceUnavailable(
        @Schema(example = "monitor-service unavailable") String error,
        @Schema(example = "monitor-service") String service) {

    public static ServiceUnavailable of(String service) {
        return new ServiceUnavailable(service + " unavailable", service);
    }
}
