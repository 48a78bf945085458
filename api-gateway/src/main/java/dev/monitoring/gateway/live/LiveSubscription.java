package dev.monitoring.gateway.live;

import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.model.ChannelsConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own subscription to the errors, alerts and executions channels, kept alive:
 * the subscription ends quietly when Redis restarts or the connection is killed, so both its end
 * and its failure count as "disconnected" and trigger a resubscribe with capped exponential
 * backoff and jitter. A disconnect and the reconnect that follows are logged once each.
 */
@ApplicationScoped
public class LiveSubscription {
    private final ReactivePubSubCommands<String> pubsub;
    private final List<String> channelNames;
    private final LiveEventRouter router;
    private final Vertx vertx;
    private final GatewayConfig.Subscription config;

    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribed;
    private volatile Instant since;
    private volatile boolean stopped;
    private final AtomicLong reconnects = new AtomicLong();
    private long generation;
    private int failedAttempts;
    private boolean lossLogged;

    public LiveSubscription(ReactiveRedisDataSource redis, ChannelsConfig channels, LiveEventRouter router,
            Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.pubsub = redis.pubsub(String.class);
        this.channelNames = List.of(channels.errors(), channels.alerts(), channels.executions());
        this.router = router;
        this.vertx = vertx;
        this.config = config.subscription();
        Gauge.builder("gateway.subscription.reconnects", reconnects, AtomicLong::get)
                .description("Times the Redis subscription came back after being lost").register(registry);
        Gauge.builder("gateway.subscription.up", this, s -> s.subscribed ? 1 : 0)
                .description("1 while subscribed to the channels").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        subscribe();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        ReactivePubSubCommands.ReactiveRedisSubscriber current = subscriber;
        if (current != null) {
            current.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }

    public boolean subscribed() {
        return subscribed;
    }

    public Instant since() {
        return since;
    }

    /** Times the subscription came back after being lost. */
    public long reconnects() {
        return reconnects.get();
    }

    public List<String> channels() {
        return channelNames;
    }

    private void subscribe() {
        long attempt;
        synchronized (this) {
            if (stopped) {
                return;
            }
            attempt = ++generation;
        }
        pubsub.subscribe(channelNames, router::route, () -> lost(attempt, null), failure -> lost(attempt, failure))
                .subscribe().with(s -> established(attempt, s), failure -> lost(attempt, failure));
    }

    private synchronized void established(long attempt, ReactivePubSubCommands.ReactiveRedisSubscriber s) {
        if (attempt != generation) {
            return;
        }
        subscriber = s;
        subscribed = true;
        since = Instant.now();
        if (lossLogged) {
            reconnects.incrementAndGet();
            Log.infof("resubscribed to %s (attempt %d after the loss)", channelNames, failedAttempts);
        } else {
            Log.infof("subscribed to %s", channelNames);
        }
        failedAttempts = 0;
        lossLogged = false;
    }

    private synchronized void lost(long attempt, Throwable failure) {
        // One attempt can report both an end and a failure: only the first one counts.
        if (attempt != generation || stopped) {
            return;
        }
        generation++;
        subscribed = false;
        subscriber = null;
        if (!lossLogged) {
            Log.warnf("subscription to %s lost (%s); resubscribing with backoff", channelNames,
                    failure == null ? "connection closed" : failure.toString());
            lossLogged = true;
        }
        long delay = backoffMillis(failedAttempts++);
        vertx.setTimer(delay, t -> subscribe());
    }

    private long backoffMillis(int failures) {
        long initial = config.initialBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long exponential = Math.min(max, initial << Math.min(failures, 20));
        // Full jitter in the upper half: replicas do not all come back at the same instant.
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }
}
