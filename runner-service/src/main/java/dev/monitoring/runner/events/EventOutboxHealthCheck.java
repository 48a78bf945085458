package dev.monitoring.runner.events;

import dev.monitoring.model.publish.EventPublisher;
import dev.monitoring.model.publish.OutboxStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness detail of the event outbox: DOWN while it is full, because events are being dropped then. */
@Readiness
@ApplicationScoped
public class EventOutboxHealthCheck implements HealthCheck {
    private final EventPublisher publisher;

    public EventOutboxHealthCheck(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        OutboxStatus s = publisher.status();
        return HealthCheckResponse.named("event-outbox")
                .status(!s.full())
                .withData("size", s.size())
                .withData("capacity", s.capacity())
                .withData("dropped", s.dropped())
                .withData("published", s.published())
                .withData("redis_reachable", s.redisReachable())
                .withData("last_error", s.lastError() == null ? "" : s.lastError())
                .build();
    }
}
