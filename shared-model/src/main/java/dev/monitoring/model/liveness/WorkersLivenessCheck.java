package dev.monitoring.model.liveness;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /q/health/live}: DOWN when a worker died or owes progress for longer than the stall bound. Only
 * this process's own state counts: Redis or PostgreSQL being away is readiness, not liveness, since a restart
 * would not bring them back.
 */
@Liveness
@ApplicationScoped
public class WorkersLivenessCheck implements HealthCheck {
    private final Heartbeats heartbeats;

    public WorkersLivenessCheck(Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("workers").up();
        for (Heartbeat.Status s : heartbeats.statuses()) {
            b.withData(s.worker(), s.state().name().toLowerCase() + " (" + s.millisSinceProgress() + " ms since progress)"
                    + (s.reason() == null ? "" : ": " + s.reason()));
            if (!s.state().alive()) {
                b.down();
            }
        }
        return b.build();
    }
}
