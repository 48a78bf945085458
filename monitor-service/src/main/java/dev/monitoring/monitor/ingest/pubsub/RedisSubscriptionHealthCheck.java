package dev.monitoring.monitor.ingest.pubsub;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** {@code redis-subscription}: UP while subscribed to both channels. */
@Readiness
@ApplicationScoped
public class RedisSubscriptionHealthCheck implements HealthCheck {
    private final RedisEventSubscriber subscriber;

    public RedisSubscriptionHealthCheck(RedisEventSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public HealthCheckResponse call() {
        var since = subscriber.subscribedSince();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("redis-subscription")
                .status(since != null)
                .withData("channels", String.join(",", subscriber.channels()));
        if (since != null) {
            response.withData("since", since.toString());
        }
        return response.build();
    }
}
