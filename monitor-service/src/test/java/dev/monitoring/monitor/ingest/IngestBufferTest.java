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

    /** Only the capacity matters to the buffer. */
    private record SmallCapacity(int bufferCapacity) implements IngestConfig {
        @Override
        public dev.monitoring.model.Severity minSeverity() {
            return dev.monitoring.model.Severity.ERROR;
        }

        @Override
        public int batchSize() {
            return 10;
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

        @Override
        public Reconnect reconnect() {
            throw new UnsupportedOperationException();
        }
    }
}
