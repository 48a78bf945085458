package dev.monitoring.gateway.notify;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Documentation schema of one label matcher of a silence. */
@Schema(name = "SilenceMatcher")
public record SilenceMatcher(
        @Schema(enumeration = {"rule", "severity", "category", "job", "symbol"}, example = "rule") String label,
        @Schema(example = "job_stale") String value,
        @Schema(description = "value is a regular expression matched against the whole label value", defaultValue = "false")
        boolean regex) {
}
