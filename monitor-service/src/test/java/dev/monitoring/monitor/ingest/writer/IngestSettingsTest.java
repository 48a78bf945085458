package dev.monitoring.monitor.ingest.writer;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class IngestSettingsTest {
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final Duration STATEMENT = Duration.ofSeconds(15);

    @Test
    void theShippedDefaultsAreAccepted() {
        assertThat(IngestSettings.problems(100_000, 64L << 20, 1000, true, 500, BLOCK, 5, STALL, STATEMENT)).isEmpty();
    }

    @Test
    void aBufferSmallerThanOneStreamReadIsRefusedNamingBothSettings() {
        assertThat(IngestSettings.problems(100, 64L << 20, 1000, true, 500, BLOCK, 5, STALL, STATEMENT)).singleElement().asString()
                .contains("INGEST_BUFFER_CAPACITY (monitor.ingest.buffer-capacity) is 100")
                .contains("STREAM_READ_COUNT (monitor.stream.read-count) 500");
        assertThat(IngestSettings.problems(100, 64L << 20, 1000, false, 500, BLOCK, 5, STALL, STATEMENT))
                .as("without the stream nothing waits for room").isEmpty();
    }

    @Test
    void otherSettingsThatStallInSilenceAreRefusedToo() {
        assertThat(IngestSettings.problems(0, 0, 0, true, 0, BLOCK, 0, STALL, STATEMENT)).hasSize(5);
        assertThat(IngestSettings.problems(100_000, 64L << 20, 1000, true, 500, Duration.ofSeconds(20), 5, STALL, STATEMENT)).singleElement()
                .asString().contains("LIVENESS_STALL_AFTER").contains("STREAM_BLOCK");
    }

    @Test
    void aStatementTimeoutTheWriterWouldNotWaitForIsRefused() {
        assertThat(IngestSettings.problems(100_000, 64L << 20, 1000, true, 500, BLOCK, 5, STALL, Duration.ofSeconds(20)))
                .singleElement().asString().contains("INGEST_STATEMENT_TIMEOUT").contains("below the writer's 20 s wait");
        assertThat(IngestSettings.problems(100_000, 64L << 20, 1000, true, 500, BLOCK, 5, STALL, Duration.ofMillis(500)))
                .singleElement().asString().contains("INGEST_STATEMENT_TIMEOUT");
    }
}
