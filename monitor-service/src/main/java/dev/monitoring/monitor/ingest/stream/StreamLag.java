package dev.monitoring.monitor.ingest.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the consumer group is behind on each stream, as last seen by this replica's consumer: entries not yet
 * delivered (lag), delivered but not yet acknowledged (pending), the age of the oldest pending one, and the gap:
 * entries trimmed by {@code MAXLEN} before the group read them, which are lost for good and raise an alert.
 * Exposed as gauges {@code monitor_stream_lag}, {@code monitor_stream_pending},
 * {@code monitor_stream_oldest_pending_seconds} and the counter {@code monitor_stream_gap_events_total}. A gap is
 * found (and counted once, across replicas) by {@code stream-inspect.lua}.
 */
@Singleton
public class StreamLag {
    /** What one look at a stream showed; {@code lag} is null when Redis cannot tell. */
    public record Snapshot(long length, Long lag, long pending, Long oldestPendingAgeMillis, long gapEvents, Instant at) {
    }

    private final MeterRegistry registry;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, Long> gapTotals = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastGap = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstGap = new ConcurrentHashMap<>();

    public StreamLag(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(List<String> streams) {
        for (String stream : streams) {
            Gauge.builder("monitor.stream.lag", snapshots, s -> value(s.get(stream), true))
                    .description("Entries of the stream not yet delivered to the consumer group").tag("stream", stream).register(registry);
            Gauge.builder("monitor.stream.pending", snapshots, s -> s.containsKey(stream) ? s.get(stream).pending() : Double.NaN)
                    .description("Entries delivered but not yet acknowledged (stored)").tag("stream", stream).register(registry);
            Gauge.builder("monitor.stream.oldest_pending_seconds", snapshots, s -> value(s.get(stream), false))
                    .description("Age of the oldest entry not yet acknowledged").tag("stream", stream).register(registry);
        }
    }

    private static double value(Snapshot s, boolean lag) {
        if (s == null) {
            return Double.NaN;
        }
        if (lag) {
            return s.lag() == null ? Double.NaN : s.lag();
        }
        return s.oldestPendingAgeMillis() == null ? 0 : s.oldestPendingAgeMillis() / 1000.0;
    }

    /** Records a look at the stream; {@code gap} is what was found trimmed unread since the last look (by any replica). */
    void observe(String stream, long length, Long lag, long pending, Long oldestPendingAgeMillis, long gap) {
        if (gap > 0) {
            addGap(stream, gap);
        }
        snapshots.put(stream, new Snapshot(length, lag, pending, oldestPendingAgeMillis, gapTotals.getOrDefault(stream, 0L),
                Instant.now()));
    }

    /** Pending entries XAUTOCLAIM found trimmed: delivered to a consumer that died before storing them. */
    void trimmedWhilePending(String stream, int count) {
        if (count > 0) {
            addGap(stream, count);
        }
    }

    private void addGap(String stream, long count) {
        gapTotals.merge(stream, count, Long::sum);
        Instant now = Instant.now();
        lastGap.put(stream, now);
        firstGap.putIfAbsent(stream, now);
        Counter.builder("monitor.stream.gap_events").description("Entries trimmed from the stream before the group stored them")
                .tag("stream", stream).register(registry).increment(count);
    }

    public Map<String, Snapshot> snapshots() {
        return Map.copyOf(snapshots);
    }

    /** A gap seen by this replica: total events lost, and when the first and the last were noticed. */
    public record Gap(String stream, long events, Instant firstSeen, Instant lastSeen) {
    }

    public List<Gap> gapsSince(Instant since) {
        return lastGap.entrySet().stream()
                .filter(e -> !e.getValue().isBefore(since))
                .map(e -> new Gap(e.getKey(), gapTotals.getOrDefault(e.getKey(), 0L), firstGap.get(e.getKey()), e.getValue()))
                .toList();
    }
}
