package dev.monitoring.runner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the runner: {@code runner.*} in application.properties. */
@ConfigMapping(prefix = "runner")
public interface RunnerConfig {

    /** Path of the YAML job file (env {@code JOBS_FILE}); absent: the sample {@code jobs.yml} on the class path. */
    Optional<String> jobsFile();

    Schedule schedule();

    Batch batch();

    Lock lock();

    Watchdog watchdog();

    Orphans orphans();

    Failures failures();

    Output output();

    Checks checks();

    interface Schedule {
        /** Quartz cron of the scheduled batch run ("off" disables it). The run picks the jobs that are due. */
        @WithDefault("0 * * * * ?")
        String cron();

        /** Quartz cron of the daily full run of every job ("off" disables it). */
        @WithDefault("0 30 2 * * ?")
        String fullRunCron();

        /** Whether the daily full run happens at all. */
        @WithDefault("true")
        boolean fullRunEnabled();

        /**
         * How long a batch run may take. Unset: until the next scheduled run, which a run still going holds back. A run
         * projected past it raises {@code run_will_be_late} in the monitor while it is still going.
         */
        Optional<Duration> runDeadline();
    }

    interface Batch {
        /** Most work items (job x target) one scheduled run executes; the rest wait for the next run. */
        @WithDefault("25")
        int size();

        /** Work items executed in parallel within a run. */
        @WithDefault("2")
        int concurrency();

        /** How long after its last failed attempt a failed item is due again (instead of waiting for its cron). */
        @WithDefault("2M")
        Duration failedRetryDelay();
    }

    interface Lock {
        /** Redis key of the lock that keeps one batch run at a time across replicas. */
        @WithDefault("runner:batch-run-lock")
        String key();

        /** Expiry of the lock; it is renewed every third of it while the run lasts. */
        @WithDefault("30S")
        Duration ttl();

        /**
         * How often the replica running a batch shares its progress in Redis (next to the lock, so any replica
         * answers {@code /api/runs/current}) and checks for a cancel asked on another replica.
         */
        @WithDefault("500ms")
        Duration shareEvery();
    }

    interface Watchdog {
        /** A run or execution without any progress for this long is failed and its process killed. */
        @WithDefault("5M")
        Duration noProgressTimeout();

        /** How often the watchdog looks (a quarkus-scheduler "every" value such as 10s). */
        @WithDefault("10s")
        String checkEvery();
    }

    interface Orphans {
        /**
         * How often the start-up check for runs a dead runner left "running" is tried again while it could not be done:
         * with Redis unreachable nobody can tell whether another replica still holds such a run's lock, so no run is
         * touched until Redis answers. A quarkus-scheduler "every" value such as 30s.
         */
        @WithDefault("30s")
        String retryEvery();
    }

    interface Failures {
        /** Exit codes that mean "try again later" (75 is EX_TEMPFAIL of sysexits.h). */
        @WithDefault("75")
        List<Integer> transientExitCodes();

        /** Regular expressions (case-insensitive) that, found in stderr, make a failure transient. */
        // No backslashes here: the config list syntax would eat them (hence [0-9] rather than \d).
        @WithDefault("connection refused,connection reset,connection timed out,temporarily unavailable,"
                + "too many requests,(^|[^0-9])429([^0-9]|$),"
                + "(^|[^0-9])5[0-9][0-9] (internal server error|bad gateway|service unavailable|gateway time-?out),"
                + "status( code)?[ =:]+5[0-9][0-9],http error 5[0-9][0-9],broken pipe,econnreset,econnrefused,etimedout")
        List<String> transientPatterns();

        /** Lines of stderr kept as the error traceback. */
        @WithDefault("30")
        int stderrTailLines();

        /**
         * Most characters of stderr kept as the error traceback (the last lines that fit). The transient patterns
         * never read more than this, and it keeps an error event under the monitor's 64 KiB payload limit.
         */
        @WithDefault("8192")
        int stderrTailMaxChars();

        /** A failed last attempt is reported critical when the item has failed this many runs in a row. */
        @WithDefault("3")
        int criticalAfterConsecutiveFailures();
    }

    interface Output {
        /**
         * Longest line of job output (stdout or stderr) the runner keeps, in characters. The rest of a longer line is
         * read and dropped, so a job printing megabytes without a newline costs neither memory nor regex time; a line
         * cut this way never counts as a {@code records_processed} line.
         */
        @WithDefault("4096")
        int maxLineChars();
    }

    interface Checks {
        /** Whether the runner declares a check per job of its job file, which the monitor makes and watches. */
        @WithDefault("true")
        boolean enabled();

        /** How long after a job's cron fires its check waits for the job to start before it is late. */
        @WithDefault("5M")
        Duration grace();

        /** How often the declaration is written again (Redis may have restarted empty). */
        @WithDefault("60s")
        String declareEvery();
    }
}
