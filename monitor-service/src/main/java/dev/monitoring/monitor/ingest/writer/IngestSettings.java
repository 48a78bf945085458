package dev.monitoring.monitor.ingest.writer;

import dev.monitoring.model.liveness.LivenessConfig;
import dev.monitoring.monitor.ingest.IngestConfig;
import dev.monitoring.monitor.ingest.stream.StreamConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start with settings that would stall ingest in silence, naming the settings that clash. Each of these
 * once looked healthy: with a buffer smaller than one stream read, the consumer waited for room that could never
 * come, read nothing, and readiness said UP.
 */
@ApplicationScoped
public class IngestSettings {
    private final IngestConfig ingest;
    private final StreamConfig stream;
    private final LivenessConfig liveness;

    public IngestSettings(IngestConfig ingest, StreamConfig stream, LivenessConfig liveness) {
        this.ingest = ingest;
        this.stream = stream;
        this.liveness = liveness;
    }

    /** Before any worker starts (the lowest priority observes first). */
    void check(@Observes @Priority(0) StartupEvent event) {
        List<String> problems = problems(ingest.bufferCapacity(), ingest.bufferMaxBytes().asLongValue(), ingest.batchSize(),
                stream.enabled(), stream.readCount(), stream.block(), stream.maxDeliveries(), liveness.stallAfter(),
                ingest.statementTimeout());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start, these settings would stall ingest: " + String.join("; ", problems));
        }
    }

    static List<String> problems(int bufferCapacity, long bufferMaxBytes, int batchSize, boolean streamEnabled, int readCount,
                                 Duration block, int maxDeliveries, Duration stallAfter, Duration statementTimeout) {
        List<String> problems = new ArrayList<>();
        if (statementTimeout.compareTo(Duration.ofSeconds(1)) < 0 || statementTimeout.compareTo(IngestWriter.WRITE_TIMEOUT) >= 0) {
            problems.add("INGEST_STATEMENT_TIMEOUT (monitor.ingest.statement-timeout) is " + statementTimeout
                    + ", it must be at least 1 s and below the writer's " + IngestWriter.WRITE_TIMEOUT.toSeconds()
                    + " s wait for an answer: a statement the writer gave up on would go on in PostgreSQL and every retry "
                    + "would queue behind it");
        }
        if (bufferCapacity < 1) {
            problems.add("INGEST_BUFFER_CAPACITY (monitor.ingest.buffer-capacity) is " + bufferCapacity + ", it must be at least 1");
        }
        if (bufferMaxBytes < 1) {
            problems.add("INGEST_BUFFER_MAX_BYTES (monitor.ingest.buffer-max-bytes) is " + bufferMaxBytes + ", it must be at least 1");
        }
        if (batchSize < 1) {
            problems.add("INGEST_BATCH_SIZE (monitor.ingest.batch-size) is " + batchSize + ", it must be at least 1");
        }
        if (streamEnabled) {
            if (readCount < 1) {
                problems.add("STREAM_READ_COUNT (monitor.stream.read-count) is " + readCount + ", it must be at least 1");
            } else if (bufferCapacity < readCount) {
                problems.add("INGEST_BUFFER_CAPACITY (monitor.ingest.buffer-capacity) is " + bufferCapacity
                        + ", below STREAM_READ_COUNT (monitor.stream.read-count) " + readCount
                        + ": the stream consumer would wait for room that never comes; raise the first or lower the second");
            }
            if (maxDeliveries < 1) {
                problems.add("STREAM_MAX_DELIVERIES (monitor.stream.max-deliveries) is " + maxDeliveries + ", it must be at least 1");
            }
            if (stallAfter.compareTo(block.multipliedBy(2)) <= 0) {
                problems.add("LIVENESS_STALL_AFTER (monitoring.liveness.stall-after) is " + stallAfter
                        + ", not more than twice STREAM_BLOCK (monitor.stream.block) " + block
                        + ": a consumer waiting for new entries would look stuck; raise the first or lower the second");
            }
        }
        return problems;
    }
}
