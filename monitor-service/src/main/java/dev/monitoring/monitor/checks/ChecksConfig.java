package dev.monitoring.monitor.checks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Checks: {@code monitor.checks.*}. */
@ConfigMapping(prefix = "monitor.checks")
public interface ChecksConfig {
    /** A finished run longer than the 95th percentile of its last 20 runs times this raises check_duration_anomaly. */
    @WithDefault("2.0")
    double durationAnomalyFactor();

    /** The output a ping may carry (the job's output tail) is cut to its last this many characters. */
    @WithDefault("10000")
    int maxOutputChars();

    /** A YAML file of checks applied at start-up ({@code CHECKS_FILE}); unset: none. */
    java.util.Optional<String> file();

    /** Whether the checks the runner declares for its jobs are made and kept up to date. */
    @WithDefault("true")
    boolean runnerJobs();

    /** How often the runner's declaration is read (a quarkus-scheduler "every" value; "off" in tests, which call it). */
    @WithDefault("30s")
    String runnerEvery();

    AutoProvision autoProvision();

    /** A ping with a key no check has makes a check, when switched on. */
    interface AutoProvision {
        @WithDefault("false")
        boolean enabled();

        /** How often a check made this way expects a ping. */
        @WithDefault("1D")
        java.time.Duration period();

        @WithDefault("1H")
        java.time.Duration grace();

        /** Most checks made this way; past it, unknown keys get 404 again. */
        @WithDefault("1000")
        int maxChecks();
    }
}
