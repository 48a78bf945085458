package dev.monitoring.monitor.ingest.stream;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/** Looks at each stream at every turn of the consumer's loop: how far the group is behind, and what was lost. */
@ApplicationScoped
public class StreamInspector {
    /** Lag, length, pending summary and gap of a stream in one atomic look (see the script's comment). */
    private static final String INSPECT = script("/stream-inspect.lua");

    private final ReactiveRedisDataSource redis;
    private final StreamConfig config;
    private final StreamLag lag;

    public StreamInspector(ReactiveRedisDataSource redis, StreamConfig config, StreamLag lag) {
        this.redis = redis;
        this.config = config;
        this.lag = lag;
    }

    /** Reads lag, pending count, the oldest pending entry's age and any gap of a stream into {@link StreamLag}. */
    public void inspect(String stream) {
        Response r = StreamReplies.call(redis, "EVAL", INSPECT, "1", stream, config.group());
        long groupLag = r.get(0).toLong();
        long pending = r.get(2).toLong();
        Long oldestAge = null;
        String oldest = r.get(3).toString();
        if (pending > 0 && !oldest.isEmpty()) {
            long millis = Long.parseLong(oldest.substring(0, oldest.indexOf('-')));
            oldestAge = Math.max(0, System.currentTimeMillis() - millis);
        }
        long gap = r.get(4).toLong();
        if (gap > 0) {
            Log.errorf("%d entries of %s were trimmed before group '%s' read them: lost (monitors down or too slow for MAXLEN)",
                    gap, stream, config.group());
        }
        lag.observe(stream, r.get(1).toLong(), groupLag < 0 ? null : groupLag, pending, oldestAge, gap);
    }

    private static String script(String resource) {
        try (var in = StreamInspector.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("missing " + resource, e);
        }
    }
}
