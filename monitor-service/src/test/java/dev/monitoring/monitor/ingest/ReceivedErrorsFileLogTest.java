package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class ReceivedErrorsFileLogTest {
    /** Where %test writes the file log (LOG_FILE_ENABLED=true for every monitor test). */
    static final Path LOG_FILE = Path.of("target", "test-logs", "errors.log");

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

        RawPublish.publish(redis, channels.errors(), "{\"severity\":\"warning\",\"category\":\"pattern\",\"error_type\":\"SlowPattern\","
                + "\"error_message\":\"slow " + marker + "\",\"context\":{\"symbol\":\"AAPL\"}}");
        RawPublish.publish(redis, channels.errors(), "{\"severity\":\"critical\",\"error_message\":\"down " + marker + "\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> read().contains("down " + marker));
        assertThat(read())
                .contains("WARN  [pattern] SlowPattern: slow " + marker + " (symbol: AAPL)")
                .contains("FATAL [unknown] Error: down " + marker)
                .doesNotContain("Quarkus", "Subscribed");
    }

    @Test
    void lineBreaksAndControlCharactersInAnEventCannotForgeALineOfTheFile() {
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        String marker = UUID.randomUUID().toString();

        // JSON escapes: the decoded message holds a real CR LF, then a fake log line, an ANSI escape and a NUL
        RawPublish.publish(redis, channels.errors(), "{\"severity\":\"error\",\"error_type\":\"Forger\\n\","
                + "\"error_message\":\"bad " + marker + "\\r\\n2026-11-30 12:00:00,000 FATAL [unknown] Error: fake " + marker
                + "\\u001b[2J\\u0000 end\",\"context\":{\"symbol\":\"AA\\nPL\"}}");

        await().atMost(Duration.ofSeconds(10)).until(() -> read().contains("bad " + marker));
        String[] lines = read().lines().filter(l -> l.contains(marker)).toArray(String[]::new);
        assertThat(lines).as("one line for the one event").hasSize(1);
        assertThat(lines[0]).contains("ERROR [unknown] Forger\\n: bad " + marker + "\\r\\n2026-11-30 12:00:00,000 FATAL [unknown] Error: fake "
                + marker + "\\u001b[2J\\u0000 end (symbol: AA\\nPL)");
    }

    private static String read() {
        try {
            return Files.exists(LOG_FILE) ? Files.readString(LOG_FILE) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
