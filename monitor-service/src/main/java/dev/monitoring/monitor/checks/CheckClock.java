package dev.monitoring.monitor.checks;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * The time checks are judged by: when a signal arrived and whether a run is late. One bean, so the tests can move it
 * forward through a schedule instead of waiting for it (they replace it with an alternative).
 */
@ApplicationScoped
public class CheckClock {
    public Instant now() {
        return Instant.now();
    }
}
