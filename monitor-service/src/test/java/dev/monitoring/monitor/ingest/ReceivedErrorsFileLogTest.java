package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.EventPublisher;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(ReceivedErrorsFileLogTest.FileLogEnabled.class)
class ReceivedErrorsFileLogTest {
    static final Path LOG_FILE = Path.of("target", "test-logs", "errors.log");

    /** LOG_FILE_ENABLED=true, as an operator would set it. */
    public static class FileLogEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG_FILE.toString());
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    ChannelsConfig channels;
    @Inject
    RedisEventSubscriber subscriber;

    @Test
    void everyReceivedErrorIsOneLineAtItsSeverityAndNothingElseGoesToTheFile() {
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        String marker = UUID.randomUUID().toString();

        EventPublisher.publish(redis, channels.errors(), "{\"severity\":\"warning\",\"category\":\"pattern\",\"error_type\":\"SlowPattern\","
                + "\"error_message\":\"slow " + marker + "\",\"context\":{\"symbol\":\"AAPL\"}}");
        EventPublisher.publish(redis, channels.errors(), "{\"severity\":\"critical\",\"error_message\":\"down " + marker + "\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> read().contains("down " + marker));
        assertThat(read())
                .contains("WARN  [pattern] SlowPattern: slow " + marker + " (symbol: AAPL)")
                .contains("FATAL [unknown] Error: down " + marker)
                .doesNotContain("Quarkus", "Subscribed");
    }

    private static String read() {
        try {
            return Files.exists(LOG_FILE) ? Files.readString(LOG_FILE) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
