package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.CronSchedule;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Picks the work of a run so that no job can starve: due items ordered never-succeeded first (never attempted
 * before attempted), then failed, then the stalest success; a batch takes the head of that order. A failed
 * item is due again at its next retry time, a succeeded one when its cron has fired since its last attempt.
 */
public final class DueJobSelector {
    private static final Comparator<WorkItem> ORDER = Comparator
            .comparingInt(DueJobSelector::group)
            .thenComparing((WorkItem w) -> w.state().lastSuccessAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing((WorkItem w) -> w.state().lastAttemptAt(), Comparator.nullsFirst(Comparator.naturalOrder()));

    private DueJobSelector() {
    }

    /**
     * @param everything true for a full run or a run of chosen jobs: every target, due or not
     */
    public static List<WorkItem> select(List<JobDefinition> jobs, Map<JobState.Key, JobState> states, Instant now,
                                        int limit, boolean everything) {
        List<WorkItem> due = new ArrayList<>();
        for (JobDefinition job : jobs) {
            for (Target target : job.targets()) {
                JobState state = states.getOrDefault(JobState.Key.of(job.name(), target), JobState.never(job.name(), target));
                if (everything || isDue(job, state, now)) {
                    due.add(new WorkItem(job, target, state));
                }
            }
        }
        // Stable sort: equal items keep the order of the job file.
        due.sort(ORDER);
        return everything ? due : due.subList(0, Math.min(limit, due.size()));
    }

    static boolean isDue(JobDefinition job, JobState state, Instant now) {
        return !now.isBefore(dueAt(job, state, now));
    }

    /** When the item is due: now if never attempted, its retry time if it failed, its next cron time otherwise. */
    public static Instant dueAt(JobDefinition job, JobState state, Instant now) {
        if (state.neverAttempted()) {
            return now;
        }
        if (state.lastFailed() && state.nextRetryAt() != null) {
            return state.nextRetryAt();
        }
        return CronSchedule.next(job.cron(), state.lastAttemptAt()).orElse(Instant.MAX);
    }

    private static int group(WorkItem item) {
        JobState s = item.state();
        if (s.neverAttempted()) {
            return 0;
        }
        if (s.neverSucceeded()) {
            return 1;
        }
        return s.lastFailed() ? 2 : 3;
    }
}
