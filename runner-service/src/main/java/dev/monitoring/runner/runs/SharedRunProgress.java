package dev.monitoring.runner.runs;

import dev.monitoring.model.api.RunProgress;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.runner.config.RunnerConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/**
 * The run in progress as every replica sees it. Only the replica holding the run lock runs the batch; it keeps a
 * progress snapshot next to the lock ({@code <lock key>:current}, expiring with the lock) so that any replica
 * behind one Service answers {@code GET /api/runs/current}, and it honours a cancel asked on another replica
 * through {@code <lock key>:cancel} (value: the run id). A snapshot counts only while its run holds the lock, so
 * one left behind by a crashed replica is never shown. Blocking calls: use from worker threads.
 */
@ApplicationScoped
public class SharedRunProgress {
    /** Deletes the snapshot and the cancel request of one run only (never those of a run that came after it). */
    private static final String CLEAR = """
            local v = redis.call('GET', KEYS[1])
            if v and string.find(v, ARGV[1], 1, true) then redis.call('DEL', KEYS[1]) end
            if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
            return 1""";

    private final RedisDataSource redis;
    private final ObjectMapper json;
    private final String lockKey;
    private final String snapshotKey;
    private final String cancelKey;
    private final long ttlMillis;
    private final long cancelTtlMillis;

    public SharedRunProgress(RedisDataSource redis, ObjectMapper json, RunnerConfig config) {
        this.redis = redis;
        this.json = json;
        this.lockKey = config.lock().key();
        this.snapshotKey = lockKey + ":current";
        this.cancelKey = lockKey + ":cancel";
        this.ttlMillis = config.lock().ttl().toMillis();
        // long enough for the owner to see it, short enough not to cancel anything else later
        this.cancelTtlMillis = Math.max(ttlMillis, 10_000);
    }

    /** Stores the progress of a run this replica owns; throws when Redis is unreachable. */
    void publish(BatchRun run) {
        try {
            redis.execute("SET", snapshotKey, json.writeValueAsString(RunViews.progress(run)), "PX", Long.toString(ttlMillis));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the progress of run " + run.id(), e);
        }
    }

    /** The run in progress on whichever replica holds the lock, in the shape of {@code /api/runs/current}. */
    Optional<RunProgress> read() {
        Response r = redis.execute("MGET", lockKey, snapshotKey);
        String holder = text(r.get(0));
        if (holder == null) {
            return Optional.empty();
        }
        RunProgress snapshot = parse(text(r.get(1)));
        if (snapshot == null || !holder.equals(snapshot.batchRunId())) {
            return Optional.of(RunProgress.startingUp(holder));
        }
        return Optional.of(snapshot.elapsedUntil(Instant.now()));
    }

    /** The id of the run holding the lock, if any. */
    Optional<String> activeRunId() {
        return Optional.ofNullable(text(redis.execute("GET", lockKey)));
    }

    /** Asks the replica running {@code runId} to cancel it. */
    void requestCancel(String runId) {
        redis.execute("SET", cancelKey, runId, "PX", Long.toString(cancelTtlMillis));
    }

    boolean cancelRequested(String runId) {
        return runId.equals(text(redis.execute("GET", cancelKey)));
    }

    /** Forgets a finished run; call before releasing its lock, so no later run's keys can be hit. */
    void clear(String runId) {
        redis.execute("EVAL", CLEAR, "2", snapshotKey, cancelKey, runId);
    }

    private RunProgress parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, RunProgress.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(Response r) {
        return r == null ? null : r.toString();
    }
}
