package dev.monitoring.gateway.downstream;

import java.time.Duration;
import java.time.Instant;

/**
 * A downstream service down or unreachable for longer than {@code gateway.downstream.down-after}, or back after such
 * an outage: the CDI event the {@link DownstreamWatch} fires, and what it tells a client that connects meanwhile.
 *
 * @param service   {@link MonitorClient#SERVICE} or {@link RunnerClient#SERVICE}
 * @param state     DOWN or UNREACHABLE (for a recovery: the last state before it)
 * @param since     the first poll that found it down
 * @param at        when this was observed
 * @param recovered true for the end of the outage
 */
public record ServiceOutage(String service, DownstreamWatch.State state, Instant since, Instant at, boolean recovered) {

    public long seconds() {
        return Duration.between(since, at).toSeconds();
    }

    /** "monitor-service unreachable for 31 s", "runner-service down (not ready) for 31 s", "... recovered after 45 s". */
    public String message() {
        if (recovered) {
            return service + " recovered after " + seconds() + " s";
        }
        String what = state == DownstreamWatch.State.UNREACHABLE ? "unreachable" : "down (not ready)";
        return service + " " + what + " for " + seconds() + " s";
    }
}
