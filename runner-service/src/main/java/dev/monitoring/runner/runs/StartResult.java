package dev.monitoring.runner.runs;

/** Outcome of asking for a run. */
public sealed interface StartResult {
    record Started(String batchRunId) implements StartResult {
    }

    /** A run is already active here or on another replica. */
    record Conflict(String reason, String activeRunId) implements StartResult {
    }

    /** The lock cannot be checked: Redis is unreachable. */
    record Unavailable(String reason) implements StartResult {
    }
}
