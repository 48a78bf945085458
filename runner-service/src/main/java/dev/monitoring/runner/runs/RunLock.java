package dev.monitoring.runner.runs;

import dev.monitoring.runner.config.RunnerConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * One batch run at a time across replicas: {@code SET key token NX PX ttl}, renewed while the run lasts, and
 * released only by the token that holds it. Blocking calls: use from worker threads.
 */
@ApplicationScoped
public class RunLock {
    /** Extends our own lock; re-takes it if it vanished (e.g. Redis restarted empty); 0 when someone else holds it. */
    private static final String RENEW = """
            local v = redis.call('GET', KEYS[1])
            if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
            return 0""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private final RedisDataSource redis;
    private final String key;
    private final long ttlMillis;

    public RunLock(RedisDataSource redis, RunnerConfig config) {
        this.redis = redis;
        this.key = config.lock().key();
        this.ttlMillis = config.lock().ttl().toMillis();
    }

    public enum Renewal { RENEWED, LOST, UNREACHABLE }

    /** True when the lock is now ours; throws when Redis cannot be reached. */
    public boolean acquire(String token) {
        Response r = redis.execute("SET", key, token, "NX", "PX", Long.toString(ttlMillis));
        return r != null && "OK".equals(r.toString());
    }

    public Renewal renew(String token) {
        try {
            Response r = redis.execute("EVAL", RENEW, "1", key, token, Long.toString(ttlMillis));
            return r != null && r.toLong() > 0 ? Renewal.RENEWED : Renewal.LOST;
        } catch (RuntimeException e) {
            return Renewal.UNREACHABLE;
        }
    }

    public void release(String token) {
        try {
            redis.execute("EVAL", RELEASE, "1", key, token);
        } catch (RuntimeException e) {
            // it expires on its own
        }
    }

    /** The token (= run id) holding the lock, if any. */
    public Optional<String> holder() {
        Response r = redis.execute("GET", key);
        return r == null ? Optional.empty() : Optional.of(r.toString());
    }

    long renewEveryMillis() {
        return Math.max(100, ttlMillis / 3);
    }
}
