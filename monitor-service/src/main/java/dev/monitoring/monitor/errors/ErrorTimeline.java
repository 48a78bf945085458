package dev.monitoring.monitor.errors;

import java.time.Instant;
import java.util.List;

/** {@code /api/errors/timeline}: every error received per bucket, empty buckets included. */
public record ErrorTimeline(String timeRange, int bucketMinutes, List<Bucket> buckets) {

    /** One bucket: its start and the count per severity. */
    public record Bucket(Instant start, long debug, long info, long warning, long error, long critical) {
    }
}
