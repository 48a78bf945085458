package dev.monitoring.gateway.live;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while subscribed: a replica that is not cannot push anything to its clients. */
@Readiness
@ApplicationScoped
public class LiveSubscriptionHealthCheck implements HealthCheck {
    private final LiveSubscription subscription;
    private final LiveClients clients;

    public LiveSubscriptionHealthCheck(LiveSubscription subscription, LiveClients clients) {
        this.subscription = subscription;
        this.clients = clients;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("redis-subscription")
                .status(subscription.subscribed())
                .withData("channels", String.join(",", subscription.channels()))
                .withData("since", String.valueOf(subscription.since()))
                .withData("websocket_clients", clients.size())
                .build();
    }
}
