package dev.monitoring.monitor.errors;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code /api/errors/health} thresholds: {@code monitor.errors.*}. */
@ConfigMapping(prefix = "monitor.errors")
public interface ErrorsConfig {
    /** Minutes looked back by the error health (the current minute included). */
    @WithDefault("5")
    int healthWindowMinutes();

    /** More errors (error + critical) than this in the window makes the health degraded/yellow. */
    @WithDefault("10")
    int degradedAbove();
}
