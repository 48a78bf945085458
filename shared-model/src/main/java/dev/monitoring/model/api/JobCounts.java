package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How many jobs (targets) a batch run has, has completed and has seen fail. */
@Schema(name = "JobCounts")
public record JobCounts(int total, int completed, int failed) {
}
