package dev.monitoring.monitor.ingest.pubsub;

import dev.monitoring.model.Channels;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.model.pubsub.ReconnectConfig;
import dev.monitoring.model.pubsub.ResilientSubscription;
import dev.monitoring.monitor.ingest.IngestBuffer;
import dev.monitoring.monitor.ingest.ReceivedMessage;
import dev.monitoring.monitor.ingest.stream.StreamConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.List;

/**
 * The one subscription to the {@code errors} and {@code executions} channels, kept alive by the shared
 * {@link ResilientSubscription} (liveness: {@code redis-subscriber}; losses and returns on {@code /q/metrics} as
 * {@code monitor_subscription_disconnects_total} and {@code monitor_subscription_reconnects_total}). Messages are only
 * handed to the {@link IngestBuffer}: this runs on the Redis connection's event loop.
 *
 * <p>While this monitor consumes the streams, the marked pub/sub copy of an event that is in its stream
 * ({@link Channels#markedDurable}) is not ingested at all, only counted ({@code monitor_ingest_durable_copies_skipped_total}):
 * the stream's copy is stored, by one monitor of the group. Plain PUBLISHes (redis-cli, foreign producers) are ingested
 * from here as before.
 */
@ApplicationScoped
public class RedisEventSubscriber {
    private final ResilientSubscription subscription;

    public RedisEventSubscriber(ReactiveRedisDataSource redis, Vertx vertx, ChannelsConfig channels, ReconnectConfig reconnect,
                                IngestBuffer buffer, MeterRegistry registry, Heartbeats heartbeats, StreamConfig streams) {
        boolean streamsConsumed = streams.enabled();
        Counter durableSkipped = Counter.builder("monitor.ingest.durable_copies_skipped")
                .description("Pub/sub copies of events that are in their stream, not ingested: the stream's copy is").register(registry);
        this.subscription = new ResilientSubscription(redis, vertx, List.of(channels.errors(), channels.executions()),
                (channel, payload) -> {
                    if (streamsConsumed && Channels.markedDurable(payload)) {
                        durableSkipped.increment();
                    } else {
                        buffer.offer(new ReceivedMessage(channel, payload, Instant.now()));
                    }
                }, reconnect, heartbeats.register("redis-subscriber"));
        FunctionCounter.builder("monitor.subscription.disconnects", subscription, ResilientSubscription::losses)
                .description("Redis subscription losses").register(registry);
        FunctionCounter.builder("monitor.subscription.reconnects", subscription, ResilientSubscription::returns)
                .description("Redis subscription restored after a loss").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        subscription.start();
    }

    /** Before the writer's final flush (a lower priority runs first), so that flush ends instead of chasing new events. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        subscription.stop();
    }

    public boolean subscribed() {
        return subscription.subscribed();
    }

    public Instant subscribedSince() {
        return subscription.subscribedSince();
    }

    /** Since when this monitor has had no subscription; null while subscribed. */
    public Instant downSince() {
        return subscription.downSince();
    }

    /** Times the subscription was lost. */
    public long disconnects() {
        return subscription.losses();
    }

    /** Times it came back. */
    public long reconnects() {
        return subscription.returns();
    }

    public List<String> channels() {
        return subscription.channels();
    }
}
