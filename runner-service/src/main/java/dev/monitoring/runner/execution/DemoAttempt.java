package dev.monitoring.runner.execution;

import dev.monitoring.runner.events.AttemptOutcome;
import dev.monitoring.runner.jobs.DemoSpec;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ThreadLocalRandom;

/** A simulated workload: works for about its duration (showing progress) and fails with its configured mix. */
@ApplicationScoped
public class DemoAttempt {

    public AttemptOutcome run(JobDefinition job, Target target, int attempt, ExecutionHandle handle) {
        DemoSpec demo = job.demo();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = Math.max(1, Math.round(demo.duration().toMillis() * (0.7 + 0.6 * random.nextDouble())));
        double draw = random.nextDouble();
        boolean timeout = draw < demo.timeoutRate();
        if (timeout) {
            millis = Math.min(job.timeout().toMillis(), millis * 3);
        }
        if (!work(millis, handle)) {
            return handle.stopReason().outcome(null, null, null);
        }
        String where = target.label() == null ? job.name() : job.name() + " " + target.label();
        if (timeout) {
            return AttemptOutcome.failed("Timeout", "timed out after " + millis / 1000.0 + " s (simulated)", null,
                    null, null, true);
        }
        draw -= demo.timeoutRate();
        if (draw >= 0 && draw < demo.transientRate()) {
            return AttemptOutcome.failed("ConnectionResetError", "[Errno 104] Connection reset by peer while fetching " + where,
                    trace("ConnectionResetError: [Errno 104] Connection reset by peer", job), null, null, true);
        }
        draw -= demo.transientRate();
        if (draw >= 0 && draw < demo.exceptionRate()) {
            return AttemptOutcome.failed("ValueError", "NaN found in input series of " + where,
                    trace("ValueError: NaN found in input series", job), null, null, false);
        }
        draw -= demo.exceptionRate();
        if (draw >= 0 && draw < demo.missingOutputRate()) {
            return AttemptOutcome.failed("NoOutputProduced", "no output produced (simulated: " + where + " wrote nothing)",
                    null, 0, 0L, false);
        }
        long records = Math.max(0, Math.round(demo.records() * (0.8 + 0.4 * random.nextDouble())));
        return AttemptOutcome.succeeded(records, 0);
    }

    /** Sleeps in small steps, touching the handle as a real job reports progress; false when stopped. */
    private static boolean work(long millis, ExecutionHandle handle) {
        long end = System.currentTimeMillis() + millis;
        long left;
        while ((left = end - System.currentTimeMillis()) > 0) {
            if (handle.sleepUnlessStopped(Math.min(250, left))) {
                return false;
            }
            handle.touch();
        }
        return !handle.isStopped();
    }

    private static String trace(String last, JobDefinition job) {
        return "Traceback (most recent call last):\n"
                + "  File \"/opt/jobs/" + job.name() + ".py\", line 42, in main\n"
                + "    result = run(target)\n"
                + last;
    }
}
