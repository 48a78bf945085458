package dev.monitoring.model.pubsub;

import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A Redis pub/sub subscription that comes back by itself. Redis does not resubscribe a client: when the connection
 * ends (a Redis restart, {@code CLIENT KILL TYPE pubsub}, a network cut) the subscription just ends. Its end and its
 * failure both count as a loss; the subscription is then retried with {@link Backoff} until it is back. A loss and the
 * matching return are each logged once; the retries in between at DEBUG.
 *
 * <p>It reports to liveness through its heartbeat: subscribed, it is idle (a quiet channel is no stall); waiting for
 * its next attempt, it owes progress only after the backoff; during an attempt, within the stall bound (an attempt
 * fails after {@link ReconnectConfig#attemptTimeout()} anyway). So a retry loop that stopped, or attempts that never
 * end, show as stalled, while Redis being down and retried is readiness, not liveness.
 *
 * <p>Messages are handed to {@code onMessage} on the Redis connection's event loop: it must not block.
 */
public final class ResilientSubscription {
    private final ReactivePubSubCommands<String> pubsub;
    private final Vertx vertx;
    private final List<String> channels;
    private final BiConsumer<String, String> onMessage;
    private final ReconnectConfig policy;
    private final Heartbeat heartbeat;
    private final AtomicLong losses = new AtomicLong();
    private final AtomicLong returns = new AtomicLong();

    private long generation;
    private int failedAttempts;
    private boolean outage;
    private boolean stopped;
    private Instant downSince = Instant.now(); // not subscribed yet: down since it was made until the first subscription
    private ReactiveRedisSubscriber current;
    private volatile Instant subscribedSince;

    public ResilientSubscription(ReactiveRedisDataSource redis, Vertx vertx, List<String> channels,
                                 BiConsumer<String, String> onMessage, ReconnectConfig policy, Heartbeat heartbeat) {
        this.pubsub = redis.pubsub(String.class);
        this.vertx = vertx;
        this.channels = List.copyOf(channels);
        this.onMessage = onMessage;
        this.policy = policy;
        this.heartbeat = heartbeat;
    }

    public void start() {
        attempt();
    }

    /** Ends the subscription for good (shutdown). */
    public synchronized void stop() {
        stopped = true;
        generation++;
        heartbeat.idle();
        if (current != null) {
            current.unsubscribe().subscribe().with(ok -> { }, failure -> { });
            current = null;
        }
    }

    public boolean subscribed() {
        return subscribedSince != null;
    }

    /** Since when it is subscribed; null while it is not. */
    public Instant subscribedSince() {
        return subscribedSince;
    }

    /** Since when it has had no subscription; null while subscribed. */
    public synchronized Instant downSince() {
        return subscribedSince == null ? downSince : null;
    }

    /** Times the subscription was lost after it had been established. */
    public long losses() {
        return losses.get();
    }

    /** Times it came back after a loss (or after failing to subscribe at first). */
    public long returns() {
        return returns.get();
    }

    public List<String> channels() {
        return channels;
    }

    private void attempt() {
        long attempt;
        synchronized (this) {
            if (stopped) {
                return;
            }
            attempt = ++generation;
            heartbeat.beat();
        }
        try {
            pubsub.subscribe(channels, onMessage, () -> ended(attempt, null), failure -> ended(attempt, failure))
                    .ifNoItem().after(policy.attemptTimeout()).fail()
                    .subscribe().with(s -> established(attempt, s), failure -> ended(attempt, failure));
        } catch (RuntimeException e) {
            // thrown before any Uni exists: the loop goes on as for any other failed attempt
            ended(attempt, e);
        }
    }

    private synchronized void established(long attempt, ReactiveRedisSubscriber subscriber) {
        if (attempt != generation || stopped) {
            subscriber.unsubscribe().subscribe().with(ok -> { }, failure -> { });
            return;
        }
        current = subscriber;
        subscribedSince = Instant.now();
        heartbeat.idle();
        if (outage) {
            returns.incrementAndGet();
            Log.infof("Redis subscription to %s restored after %d failed attempt(s), %d ms without it",
                    channels, failedAttempts, Duration.between(downSince, subscribedSince).toMillis());
        } else {
            Log.infof("Subscribed to Redis channels %s", channels);
        }
        outage = false;
        failedAttempts = 0;
    }

    /**
     * The attempt or the subscription it made ended or failed. Each attempt is handled once (an end and a failure of
     * the same one count once), and an end that comes before the attempt's own answer still counts: that answer is
     * then ignored, so the subscription can never look established on a connection that is gone.
     */
    private synchronized void ended(long attempt, Throwable failure) {
        if (attempt != generation || stopped) {
            return;
        }
        String reason = failure == null ? "connection closed" : LogText.safe(String.valueOf(failure.getMessage()));
        if (subscribedSince != null) {
            subscribedSince = null;
            current = null;
            losses.incrementAndGet();
            outage = true;
            downSince = Instant.now();
            Log.warnf("Redis subscription to %s lost (%s); resubscribing with backoff", channels, reason);
        } else {
            failedAttempts++;
            if (!outage) {
                // never subscribed yet (Redis down at start-up): still worth one WARN
                outage = true;
                downSince = Instant.now();
                Log.warnf("Cannot subscribe to Redis channels %s (%s); retrying with backoff", channels, reason);
            } else {
                Log.debugf("Resubscribe attempt %d failed: %s", failedAttempts, reason);
            }
        }
        retryLater();
    }

    /** Owes the next attempt by the end of the backoff: a retry chain that broke leaves liveness DOWN. */
    private void retryLater() {
        generation++; // whatever the abandoned attempt still reports is ignored
        long delay = Backoff.delayMillis(policy, failedAttempts);
        heartbeat.beat(Duration.ofMillis(delay));
        vertx.setTimer(delay, id -> attempt());
    }
}
