package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;

/** One execution to do in a run: a job on one of its targets, with what is known of it. */
public record WorkItem(JobDefinition job, Target target, JobState state) {
}
