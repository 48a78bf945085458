package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.monitor.ingest.IngestMetrics;
import dev.monitoring.monitor.ingest.ReceivedMessage;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acknowledges stream entries once their batch is committed in PostgreSQL, never before: a monitor killed between
 * the commit and the XACK leaves them pending, another consumer claims them, and storing them again changes nothing.
 */
@ApplicationScoped
public class StreamAcks {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final StreamConfig config;
    private final IngestMetrics metrics;

    StreamAcks(ReactiveRedisDataSource redis, StreamConfig config, IngestMetrics metrics) {
        this.redis = redis;
        this.config = config;
        this.metrics = metrics;
    }

    /** Acknowledges the stream entries among {@code messages}; pub/sub messages have none. */
    public void ackStored(List<ReceivedMessage> messages) {
        Map<String, List<String>> byStream = new LinkedHashMap<>();
        for (ReceivedMessage m : messages) {
            if (m.entry() != null) {
                byStream.computeIfAbsent(m.entry().stream(), k -> new ArrayList<>()).add(m.entry().id());
            }
        }
        byStream.forEach(this::ack);
    }

    void ack(String stream, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(ids.size() + 2);
        args.add(stream);
        args.add(config.group());
        args.addAll(ids);
        try {
            redis.execute("XACK", args.toArray(String[]::new)).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            metrics.ackFailures.increment(ids.size());
            Log.warnf("Could not acknowledge %d stored entries of %s (%s): they will be claimed and stored again, "
                    + "which is harmless", ids.size(), stream, e.getMessage());
        }
    }
}
