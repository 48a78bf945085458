package dev.monitoring.model.liveness;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long a worker may have work pending without progress before liveness goes DOWN: {@code monitoring.liveness.*}. */
@ConfigMapping(prefix = "monitoring.liveness")
public interface LivenessConfig {
    /**
     * A worker that owes progress for longer than this is stalled, and {@code /q/health/live} DOWN, so the
     * orchestrator restarts the process. Longer than the slowest healthy call a worker waits on.
     */
    @WithDefault("30s")
    Duration stallAfter();
}
