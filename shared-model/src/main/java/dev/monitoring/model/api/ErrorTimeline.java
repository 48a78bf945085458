package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** {@code /api/errors/timeline}: every error received per bucket, empty buckets included. */
@Schema(name = "ErrorTimeline")
public record ErrorTimeline(@Schema(example = "last_24_hours") String timeRange, int bucketMinutes, List<Bucket> buckets) {

    /** One bucket: its start and the count per severity. */
    @Schema(name = "ErrorTimelineBucket")
    public record Bucket(Instant start, long debug, long info, long warning, long error, long critical) {
    }
}
