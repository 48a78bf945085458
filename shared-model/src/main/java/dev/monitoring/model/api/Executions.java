package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** {@code /api/executions}: batch runs, newest first. */
@Schema(name = "Executions")
public record Executions(Instant timestamp, List<RunExecution> executions) {
}
