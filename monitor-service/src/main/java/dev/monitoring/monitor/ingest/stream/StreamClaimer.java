package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.model.api.DeadLetter;
import dev.monitoring.monitor.ingest.IngestMetrics;
import dev.monitoring.monitor.ingest.WriterProgress;
import dev.monitoring.monitor.ingest.store.DeadLetterStore;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Takes over what another consumer of the group left pending (a crashed replica, or this one before a restart), moves
 * entries delivered too many times to the dead-letter table, and forgets consumers that are gone for good.
 */
@ApplicationScoped
public class StreamClaimer {
    /** Where claimed entries go: the consumer's own hand-over to the buffer; false when it is stopping. */
    @FunctionalInterface
    interface Handoff {
        boolean hand(String stream, Response entry, Instant now) throws InterruptedException;
    }

    private final ReactiveRedisDataSource redis;
    private final StreamConfig config;
    private final WriterProgress progress;
    private final StreamLag lag;
    private final DeadLetterStore deadLetters;
    private final StreamAcks acks;
    private final IngestMetrics metrics;

    public StreamClaimer(ReactiveRedisDataSource redis, StreamConfig config, WriterProgress progress, StreamLag lag,
                         DeadLetterStore deadLetters, StreamAcks acks, IngestMetrics metrics) {
        this.redis = redis;
        this.config = config;
        this.progress = progress;
        this.lag = lag;
        this.deadLetters = deadLetters;
        this.acks = acks;
        this.metrics = metrics;
    }

    /**
     * Takes over entries left pending too long by any consumer of the group. Skipped unless this replica is keeping
     * up (PostgreSQL writable, nothing it holds older than half the idle time): its own pending entries would look
     * abandoned and be delivered again and again, towards the dead-letter limit.
     */
    void claimAbandoned(List<String> streams, String consumer, Handoff handoff, BooleanSupplier running)
            throws InterruptedException {
        if (!progress.keepingUp(config.claimMinIdle().dividedBy(2))) {
            return;
        }
        for (String stream : streams) {
            String cursor = "0-0";
            int claimed = 0;
            do {
                Response r = call("XAUTOCLAIM", stream, config.group(), consumer, Long.toString(config.claimMinIdle().toMillis()),
                        cursor, "COUNT", Integer.toString(config.readCount()));
                cursor = r.get(0).toString();
                Response entries = r.get(1);
                if (r.size() > 2 && r.get(2) != null) {
                    lag.trimmedWhilePending(stream, r.get(2).size());
                    if (r.get(2).size() > 0) {
                        Log.errorf("%d pending entries of %s were trimmed before any consumer stored them: lost", r.get(2).size(), stream);
                    }
                }
                if (entries != null && entries.size() > 0) {
                    claimed += entries.size();
                    handleClaimed(stream, consumer, entries, handoff);
                }
            } while (!"0-0".equals(cursor) && claimed < 10 * config.readCount() && running.getAsBoolean());
            if (claimed > 0) {
                metrics.streamClaimed.increment(claimed);
                Log.infof("Claimed %d entries of %s left pending by a consumer that stopped or hangs", claimed, stream);
            }
        }
        forgetGoneConsumers(streams, consumer);
    }

    private void handleClaimed(String stream, String consumer, Response entries, Handoff handoff) throws InterruptedException {
        Map<String, Long> deliveries = deliveries(stream, consumer, entries);
        List<DeadLetterStore.DeadLetter> dead = new ArrayList<>();
        List<Response> alive = new ArrayList<>();
        for (Response entry : entries) {
            if (entry == null || entry.get(0) == null) {
                continue;
            }
            String id = entry.get(0).toString();
            long count = deliveries.getOrDefault(id, 1L);
            if (count > config.maxDeliveries()) {
                dead.add(new DeadLetterStore.DeadLetter(stream, id, StreamReplies.payload(entry.get(1)), count,
                        "delivered " + count + " times without being stored (limit " + config.maxDeliveries()
                                + "): each consumer holding it stopped before its commit"));
            } else {
                alive.add(entry);
            }
        }
        if (!dead.isEmpty()) {
            deadLetters.store(dead);
            acks.ack(stream, dead.stream().map(DeadLetterStore.DeadLetter::entryId).toList());
            metrics.deadLettered.increment(dead.size());
            Log.errorf("Moved %d entries of %s to dead_letters after more than %d deliveries", dead.size(), stream, config.maxDeliveries());
        }
        if (!alive.isEmpty()) {
            Instant now = Instant.now();
            for (Response entry : alive) {
                if (!handoff.hand(stream, entry, now)) {
                    return;
                }
            }
        }
    }

    /** Delivery counts of the entries just claimed (now in this consumer's pending list). */
    private Map<String, Long> deliveries(String stream, String consumer, Response entries) {
        String first = null;
        String last = null;
        for (Response entry : entries) {
            if (entry != null && entry.get(0) != null) {
                if (first == null) {
                    first = entry.get(0).toString();
                }
                last = entry.get(0).toString();
            }
        }
        Map<String, Long> counts = new HashMap<>();
        if (first == null) {
            return counts;
        }
        Response pending = call("XPENDING", stream, config.group(), first, last, Integer.toString(entries.size()), consumer);
        for (Response p : pending) {
            counts.put(p.get(0).toString(), p.get(3).toLong());
        }
        return counts;
    }

    /** Replicas that are gone for good leave their names in the group; drop those holding nothing. */
    private void forgetGoneConsumers(List<String> streams, String consumer) {
        for (String stream : streams) {
            Response consumers = call("XINFO", "CONSUMERS", stream, config.group());
            for (Response c : consumers) {
                String name = StreamReplies.field(c, "name").toString();
                long pending = StreamReplies.field(c, "pending").toLong();
                long idle = StreamReplies.field(c, "idle").toLong();
                if (!name.equals(consumer) && pending == 0 && idle > config.forgetConsumersAfter().toMillis()) {
                    call("XGROUP", "DELCONSUMER", stream, config.group(), name);
                    Log.infof("Removed consumer '%s' from group '%s' on %s: idle for %d s and holding nothing",
                            name, config.group(), stream, idle / 1000);
                }
            }
        }
    }

    private Response call(String command, String... args) {
        return StreamReplies.call(redis, command, args);
    }
}
