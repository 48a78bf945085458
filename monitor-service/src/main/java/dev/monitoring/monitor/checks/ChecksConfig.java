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
}
