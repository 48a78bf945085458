package dev.monitoring.monitor.executions;

import java.time.Instant;
import java.util.List;

/** {@code /api/executions}: batch runs, newest first. */
public record Executions(Instant timestamp, List<RunExecution> executions) {
}
