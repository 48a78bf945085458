package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one subscription to the {@code errors} and {@code executions} channels.
 *
 * <p>Redis pub/sub does not resubscribe by itself: when the connection ends (Redis restart,
 * {@code CLIENT KILL TYPE pubsub}, network cut) the subscription just ends. Both the end and a
 * failure count as a disconnect; the subscriber then retries with capped exponential backoff and
 * jitter. A disconnect and the matching reconnect are each logged once; retries log at DEBUG.
 * Messages are only handed to the {@link IngestBuffer}: this runs on the Redis I/O thread.
 */
@ApplicationScoped
public class RedisEventSubscriber {
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

    private final ReactivePubSubCommands<String> pubsub;
    private final Vertx vertx;
    private final List<String> channels;
    private final IngestConfig.Reconnect policy;
    private final IngestBuffer buffer;
    private final IngestMetrics metrics;

    private long generation;
    private int failedAttempts;
    private boolean outage;
    private Instant outageSince;
    private boolean stopping;
    private ReactiveRedisSubscriber current;
    private volatile Instant subscribedSince;

    public RedisEventSubscriber(ReactiveRedisDataSource redis, Vertx vertx, ChannelsConfig channels,
                                IngestConfig config, IngestBuffer buffer, IngestMetrics metrics) {
        this.pubsub = redis.pubsub(String.class);
        this.vertx = vertx;
        this.channels = List.of(channels.errors(), channels.executions());
        this.policy = config.reconnect();
        this.buffer = buffer;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        connect();
    }

    /** Before the writer's final flush (a lower priority runs first), so that flush ends instead of chasing new events. */
    synchronized void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        generation++;
        if (current != null) {
            current.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }

    public boolean subscribed() {
        return subscribedSince != null;
    }

    public Instant subscribedSince() {
        return subscribedSince;
    }

    public List<String> channels() {
        return channels;
    }

    private synchronized void connect() {
        if (stopping) {
            return;
        }
        long attempt = ++generation;
        pubsub.subscribe(channels,
                        (channel, payload) -> buffer.offer(new ReceivedMessage(channel, payload, Instant.now())),
                        () -> onLost(attempt, null),
                        failure -> onLost(attempt, failure))
                .ifNoItem().after(SUBSCRIBE_TIMEOUT).fail()
                .subscribe().with(subscriber -> onSubscribed(attempt, subscriber), failure -> onAttemptFailed(attempt, failure));
    }

    private synchronized void onSubscribed(long attempt, ReactiveRedisSubscriber subscriber) {
        if (attempt != generation || stopping) {
            subscriber.unsubscribe().subscribe().with(ok -> { }, failure -> { });
            return;
        }
        current = subscriber;
        subscribedSince = Instant.now();
        if (outage) {
            metrics.reconnects.increment();
            Log.infof("Redis subscription to %s restored after %d failed attempt(s), %d ms without it",
                    channels, failedAttempts, Duration.between(outageSince, subscribedSince).toMillis());
        } else {
            Log.infof("Subscribed to Redis channels %s", channels);
        }
        outage = false;
        failedAttempts = 0;
    }

    private synchronized void onLost(long attempt, Throwable failure) {
        if (attempt != generation || subscribedSince == null || stopping) {
            return; // an older subscription, or this loss is already being handled
        }
        subscribedSince = null;
        current = null;
        metrics.disconnects.increment();
        outage = true;
        outageSince = Instant.now();
        Log.warnf("Redis subscription to %s lost (%s); resubscribing with backoff",
                channels, failure == null ? "connection closed" : failure.getMessage());
        scheduleRetry();
    }

    private synchronized void onAttemptFailed(long attempt, Throwable failure) {
        if (attempt != generation || stopping) {
            return;
        }
        failedAttempts++;
        if (!outage) {
            // never subscribed yet (Redis down at startup): still worth one WARN
            outage = true;
            outageSince = Instant.now();
            Log.warnf("Cannot subscribe to Redis channels %s (%s); retrying with backoff", channels, failure.getMessage());
        } else {
            Log.debugf("Resubscribe attempt %d failed: %s", failedAttempts, failure.getMessage());
        }
        scheduleRetry();
    }

    private void scheduleRetry() {
        vertx.setTimer(Backoff.delayMillis(policy, failedAttempts), id -> connect());
    }
}
