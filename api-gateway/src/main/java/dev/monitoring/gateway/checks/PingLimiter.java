package dev.monitoring.gateway.checks;

import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.ratelimit.TokenBucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per ping key, in this gateway's memory: a runaway loop pinging one key is answered 429 without
 * reaching the monitor, and every other key goes on as before. Per replica, so N gateways let N times the rate
 * through, which still bounds what one key can cost. The map is bounded: past {@link #MAX_KEYS} keys (someone trying
 * random keys), the buckets that are full again are dropped, as they hold nothing a new bucket would not.
 */
@ApplicationScoped
public class PingLimiter {
    static final int MAX_KEYS = 50_000;

    private final double perSecond;
    private final int burst;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Counter limited;
    private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

    public PingLimiter(GatewayConfig config, MeterRegistry registry) {
        this.perSecond = config.pings().perSecond();
        this.burst = config.pings().burst();
        this.limited = Counter.builder("gateway.pings.rate.limited").description("Pings answered 429: over their key's rate")
                .register(registry);
    }

    /**
     * Takes a token of this key; false (and counted) when its bucket is empty. Past {@link #MAX_KEYS} keys the full
     * buckets are swept, at most once a second (a sweep per request would let a flood of random keys cost a scan
     * each); while the map is still over twice the bound, a key it does not know yet gets no bucket and is refused.
     */
    public boolean allow(String key) {
        long now = System.nanoTime();
        if (buckets.size() > MAX_KEYS && now - lastSweep.get() > 1_000_000_000L && lastSweep.compareAndSet(lastSweep.get(), now)) {
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    return b.full(now);
                }
            });
        }
        TokenBucket bucket = buckets.size() > 2 * MAX_KEYS ? buckets.get(key)
                : buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst, now));
        boolean allowed = false;
        if (bucket != null) {
            synchronized (bucket) {
                allowed = bucket.take(now);
            }
        }
        if (!allowed) {
            limited.increment();
        }
        return allowed;
    }

    /** How many keys have a bucket. */
    int keys() {
        return buckets.size();
    }

    /** Seconds until this key has a token again (for Retry-After). */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / perSecond));
    }
}
