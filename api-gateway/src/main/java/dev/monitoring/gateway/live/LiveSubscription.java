package dev.monitoring.gateway.live;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.model.pubsub.ReconnectConfig;
import dev.monitoring.model.pubsub.ResilientSubscription;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.List;

/**
 * The gateway's own subscription to the errors, alerts, executions and notifications channels (one connection for
 * all of them), kept alive by the shared {@link ResilientSubscription}: liveness names it {@code live-subscription}.
 */
@ApplicationScoped
public class LiveSubscription {
    private final ResilientSubscription subscription;

    public LiveSubscription(ReactiveRedisDataSource redis, ChannelsConfig channels, LiveEventRouter router,
            Vertx vertx, ReconnectConfig reconnect, MeterRegistry registry, Heartbeats heartbeats) {
        this.subscription = new ResilientSubscription(redis, vertx,
                List.of(channels.errors(), channels.alerts(), channels.executions(), channels.notifications()),
                router::route, reconnect, heartbeats.register("live-subscription"));
        Gauge.builder("gateway.subscription.reconnects", subscription, ResilientSubscription::returns)
                .description("Times the Redis subscription came back after being lost").register(registry);
        Gauge.builder("gateway.subscription.up", subscription, s -> s.subscribed() ? 1 : 0)
                .description("1 while subscribed to the channels").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        subscription.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        subscription.stop();
    }

    public boolean subscribed() {
        return subscription.subscribed();
    }

    /** Since when it is subscribed; null while it is not. */
    public Instant since() {
        return subscription.subscribedSince();
    }

    /** Times the subscription came back after being lost. */
    public long reconnects() {
        return subscription.returns();
    }

    public List<String> channels() {
        return subscription.channels();
    }
}
