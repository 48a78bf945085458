package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** One action on an error group ({@code /api/errors/groups/{fingerprint}/activity}), newest first. */
@Schema(name = "ErrorGroupActivity")
public record ErrorGroupActivity(long id, String fingerprint,
                                 @Schema(enumeration = {"resolved", "unresolved", "ignored", "regressed", "reopened"}) String action,
                                 @Schema(example = "admin", description = "the gateway user, or 'monitor' for what the monitor noticed")
                                 String actor,
                                 @Schema(nullable = true) String comment,
                                 @Schema(description = "the ignore's condition, the state before, the error that regressed it")
                                 Map<String, Object> detail,
                                 Instant at) {
}
