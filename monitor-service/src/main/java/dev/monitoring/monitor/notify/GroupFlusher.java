package dev.monitoring.monitor.notify;

import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Every {@code flush-every}, on its own thread (the scheduler ticks only once a second, which would be most of the
 * latency of a {@code group_wait: 0s} route), turns the notification groups that are due into ledger entries, one per receiver, in
 * one atomic script ({@code notify-flush.lua}): every replica runs it, each group is flushed by exactly one.
 */
@ApplicationScoped
public class GroupFlusher {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String FLUSH = NotifyKeys.script("/notify-flush.lua");

    private final ReactiveRedisDataSource redis;
    private final DeliveryConfig config;
    private final Heartbeats heartbeats;
    private volatile Heartbeat heartbeat;
    private volatile String failure;
    private volatile boolean running;
    private Thread thread;
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);

    public GroupFlusher(ReactiveRedisDataSource redis, DeliveryConfig config, Heartbeats heartbeats) {
        this.redis = redis;
        this.config = config;
        this.heartbeats = heartbeats;
    }

    void onStart(@Observes StartupEvent event) {
        heartbeat = heartbeats.register("notify-flusher");
        running = true;
        thread = new Thread(this::run, "monitor-notify-flusher");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(2000);
        }
    }

    private void run() {
        while (running) {
            heartbeat.beat();
            try {
                flush(Instant.now());
                if (failure != null) {
                    Log.infof("Notification groups are flushed again");
                }
                failure = null;
            } catch (RuntimeException e) {
                if (failure == null) {
                    Log.errorf("Notification groups cannot be flushed (Redis away?), retrying: %s", e.getMessage());
                }
                failure = String.valueOf(e.getMessage());
            }
            try {
                heartbeat.beat(failure == null ? config.flushEvery() : Duration.ofSeconds(1));
                if (wake.tryAcquire(failure == null ? config.flushEvery().toMillis() : 1000, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A group became due now (group_wait 0s): flush at once rather than at the next period. */
    void wake() {
        wake.release();
    }

    /** Flushes what is due at {@code now}; returns the ledger entries added. */
    public long flush(Instant now) {
        NotifyKeys keys = new NotifyKeys(config.keyPrefix());
        long added = 0;
        for (int round = 0; round < 20; round++) {
            Response r = redis.execute("EVAL", FLUSH, "2", keys.due(), config.ledgerStream(), Long.toString(now.toEpochMilli()),
                    keys.prefix(), UUID.randomUUID().toString(), Long.toString(config.ledgerMaxLength()), "100")
                    .await().atMost(TIMEOUT);
            long n = r == null ? 0 : r.toLong();
            added += n;
            if (n == 0) {
                break;
            }
        }
        return added;
    }
}
