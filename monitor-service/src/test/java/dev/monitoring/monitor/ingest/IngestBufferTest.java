package dev.monitoring.monitor.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class IngestBufferTest {

    @Test
    void fullBufferDropsNewMessagesCountsThemAndRecoversOnceDrained() throws InterruptedException {
        IngestConfig config = new SmallCapacity(4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestBuffer buffer = new IngestBuffer(config, new IngestMetrics(registry), registry);

        for (int i = 0; i < 7; i++) {
            buffer.offer(new ReceivedMessage("errors", "{\"n\":" + i + "}", Instant.now()));
        }

        assertThat(buffer.size()).isEqualTo(4);
        assertThat(buffer.dropped()).isEqualTo(3);
        assertThat(buffer.overflowing()).isTrue();
        assertThat(registry.counter("monitor.ingest.dropped").count()).isEqualTo(3);
        assertThat(new IngestBufferHealthCheck(buffer).call().getStatus().name()).isEqualTo("DOWN");

        List<ReceivedMessage> batch = new ArrayList<>();
        buffer.drainTo(batch, 10, 100);

        assertThat(batch).extracting(ReceivedMessage::payload).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(buffer.overflowing()).isFalse();
        assertThat(new IngestBufferHealthCheck(buffer).call().getStatus().name()).isEqualTo("UP");
    }

    @Test
    void theBufferIsBoundedInBytesTooButAlwaysTakesOneMessageWhenEmpty() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestBuffer buffer = new IngestBuffer(new SmallCapacity(1000, 3 * 1100), new IngestMetrics(registry), registry);
        String kilobyte = "x".repeat(1000);

        for (int i = 0; i < 5; i++) {
            buffer.offer(new ReceivedMessage("errors", kilobyte, Instant.now()));
        }
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.dropped()).isEqualTo(2);
        assertThat(buffer.bytes()).isEqualTo(3 * 1100);
        assertThat(buffer.put(new ReceivedMessage("errors", kilobyte, Instant.now()), 50)).as("the stream waits, then gives up").isFalse();

        List<ReceivedMessage> batch = new ArrayList<>();
        buffer.drainTo(batch, 10, 100);
        assertThat(buffer.bytes()).isZero();
        assertThat(buffer.put(new ReceivedMessage("errors", "y".repeat(64 * 1024), Instant.now()), 50))
                .as("larger than the whole bound, into an empty buffer").isTrue();
        assertThat(buffer.put(new ReceivedMessage("errors", kilobyte, Instant.now()), 50)).isFalse();
    }

    /** Only the bounds matter to the buffer. */
    private record SmallCapacity(int bufferCapacity, long maxBytes) implements IngestConfig {
        SmallCapacity(int bufferCapacity) {
            this(bufferCapacity, 1 << 30);
        }

        @Override
        public io.quarkus.runtime.configuration.MemorySize bufferMaxBytes() {
            return new io.quarkus.runtime.configuration.MemorySize(java.math.BigInteger.valueOf(maxBytes));
        }

        @Override
        public int recentIds() {
            return 10;
        }

        @Override
        public long recentIdsMaxChars() {
            return 1000;
        }

        @Override
        public dev.monitoring.model.Severity minSeverity() {
            return dev.monitoring.model.Severity.ERROR;
        }

        @Override
        public int batchSize() {
            return 10;
        }

        @Override
        public Duration statementTimeout() {
            return Duration.ofSeconds(15);
        }

        @Override
        public Duration dbRetryDelay() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration countedEventsTtl() {
            return Duration.ofHours(1);
        }

        @Override
        public String countedEventsSweepEvery() {
            return "1m";
        }
    }
}
