package dev.monitoring.monitor.notify;

import dev.monitoring.model.LogText;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The notification ledger in Redis: a stream read in the consumer group every replica shares, so each entry is
 * delivered by one of them, and an entry stays pending until it is acknowledged. What the {@link Deliverer} does with
 * an entry is its business; this is the stream side of it.
 */
@ApplicationScoped
public class Ledger {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final DeliveryConfig config;
    private volatile boolean groupReady;

    public Ledger(ReactiveRedisDataSource redis, DeliveryConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** An entry to deliver: its stream id, its JSON, and which attempt this is. */
    record Pending(String id, String json, int attempt) {
    }

    /** Creates the group once (again after {@link #lost()}). */
    void ensureGroup() {
        if (groupReady) {
            return;
        }
        try {
            // from the start of the ledger: entries written before any monitor read it are delivered too
            call("XGROUP", "CREATE", config.ledgerStream(), config.group(), "0", "MKSTREAM");
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    /** Redis went away: the group may be gone with its data, so it is made sure of again. */
    void lost() {
        groupReady = false;
    }

    /** Entries never delivered to any consumer, waiting up to 200 ms for one. */
    List<Pending> readNew(String consumer, int count) {
        Response response = redis.execute("XREADGROUP", "GROUP", config.group(), consumer, "COUNT", Integer.toString(count),
                "BLOCK", "200", "STREAMS", config.ledgerStream(), ">").await().atMost(CALL_TIMEOUT);
        List<Pending> out = new ArrayList<>();
        if (response == null) {
            return out;
        }
        Response entries = response.isMap() ? response.get(config.ledgerStream()) : response.get(0).get(1);
        if (entries != null) {
            for (Response entry : entries) {
                out.add(new Pending(entry.get(0).toString(), field(entry.get(1)), 1));
            }
        }
        return out;
    }

    /**
     * Pending entries due again: this consumer's once their backoff ({@code backoff} of the deliveries so far) has
     * passed, a dead consumer's after {@code claim-min-idle} too. Each is claimed for this consumer; the claim succeeds
     * for one consumer only, as Redis checks the idle time again, atomically.
     */
    List<Pending> claimDue(String consumer, Set<String> inFlight, LongFunction<Duration> backoff) {
        List<Pending> out = new ArrayList<>();
        long minIdle = config.retryInitial().toMillis();
        Response pending = call("XPENDING", config.ledgerStream(), config.group(), "IDLE", Long.toString(minIdle), "-", "+", "100");
        if (pending == null) {
            return out;
        }
        for (Response p : pending) {
            String id = p.get(0).toString();
            if (inFlight.contains(id)) {
                continue;
            }
            String owner = p.get(1).toString();
            long idle = p.get(2).toLong();
            long deliveries = p.get(3).toLong();
            long need = backoff.apply(deliveries).toMillis();
            if (!owner.equals(consumer)) {
                need = Math.max(need, config.claimMinIdle().toMillis());
            }
            if (idle < need) {
                continue;
            }
            Response claimed = call("XCLAIM", config.ledgerStream(), config.group(), consumer, Long.toString(need), id);
            if (claimed == null || claimed.size() == 0) {
                continue;
            }
            Response entry = claimed.get(0);
            if (entry == null || entry.get(1) == null) {
                ack(id); // trimmed from the ledger while pending: nothing left to deliver
                continue;
            }
            if (!owner.equals(consumer)) {
                Log.infof("Took over notification entry %s of consumer %s (idle %d ms)", id, LogText.safe(owner), idle);
            }
            out.add(new Pending(id, field(entry.get(1)), (int) deliveries + 1));
        }
        return out;
    }

    void ack(String entryId) {
        call("XACK", config.ledgerStream(), config.group(), entryId);
    }

    /** Keeps the entry in its receiver's dead letters, with why and after how many attempts. */
    void deadLetter(String receiver, String json, String reason, int attempts) {
        call("XADD", config.ledgerStream() + ":dead:" + receiver, "MAXLEN", "~", "10000", "*",
                "notification", json, "reason", reason == null ? "" : reason, "attempts", Integer.toString(attempts));
    }

    private static String field(Response fields) {
        if (fields == null) {
            return null;
        }
        if (fields.isMap()) {
            Response v = fields.get("notification");
            return v == null ? null : v.toString();
        }
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if ("notification".equals(fields.get(i).toString())) {
                return fields.get(i + 1).toString();
            }
        }
        return null;
    }

    private Response call(String command, String... args) {
        return redis.execute(command, args).await().atMost(CALL_TIMEOUT);
    }
}
