package dev.monitoring.runner.runs;

/** What started a run. */
public enum Trigger {
    /** The batch cron: due jobs only, one batch. */
    SCHEDULED,
    /** The daily full run: every job and target. */
    FULL,
    /** POST /api/runs. */
    MANUAL
}
