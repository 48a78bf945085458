package dev.monitoring.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Redis channel names in force, one place for every service: {@code monitoring.channels.*}. */
@ConfigMapping(prefix = "monitoring.channels")
public interface ChannelsConfig {
    /** Channel of error events. */
    @WithDefault(Channels.ERRORS)
    String errors();

    /** Channel of run and job execution events. */
    @WithDefault(Channels.EXECUTIONS)
    String executions();

    /** Channel of alerts raised by the monitor. */
    @WithDefault(Channels.ALERTS)
    String alerts();

    /** Channel of silence changes and notification deliveries, for live dashboards. */
    @WithDefault(Channels.NOTIFICATIONS)
    String notifications();

    /** Redis key (not a channel) where the runner declares the checks of its jobs for the monitor. */
    @WithDefault(Channels.RUNNER_CHECKS)
    String runnerChecks();
}
