package dev.monitoring.system.services;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, fault test 1: the monitor is killed with {@code kill -9} in the middle of 20,000 events published through
 * the shared publisher, then started again. Whatever it had read but not committed stays pending in the stream and
 * is claimed by the new instance; whatever it had committed but not acknowledged is stored again, harmlessly.
 */
class MonitorKilledMidStreamTest {
    private static final int EVENTS = 20_000;
    private static ServiceInstance first;
    private static ServiceInstance second;

    @AfterAll
    static void stop() {
        ServiceInstance.killAll(second == null ? List.of() : List.of(second));
        if (first != null) {
            first.kill();
        }
    }

    @Test
    void everyErrorIsStoredExactlyOnceAcrossAKillNineAndARestart() throws InterruptedException {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_groups", "monitor.error_counts",
                "monitor.alerts", "monitor.rejected_events", "monitor.dead_letters");
        try (Resp redis = new Resp()) {
            redis.command("DEL", ServiceInstance.ERRORS + ":stream", ServiceInstance.EXECUTIONS + ":stream");
        }
        // a killed consumer's entries are claimed after 2 s instead of the default minute
        var env = ServiceInstance.env("STREAM_CLAIM_MIN_IDLE", "2s", "ALERTS_EVALUATE_EVERY", "off");
        first = ServiceInstance.start("monitor-service", "monitor-killed", env);
        first.awaitReady();

        String component = "kill9-" + UUID.randomUUID().toString().substring(0, 8);
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        long killedAt;
        try (SharedPublisher publisher = new SharedPublisher(6379, EVENTS)) {
            int sent = 0;
            // 4,000 events/s in bursts of 400; the monitor is killed once a quarter of them are stored
            while (sent < EVENTS) {
                for (int i = 0; i < 400; i++, sent++) {
                    publisher.publishError(component + "-" + sent, component);
                }
                if (first != null && SystemDatabase.count(stored) >= EVENTS / 4) {
                    first.killHard();
                    first = null;
                }
                Thread.sleep(100); // paces the producer only
            }
            killedAt = SystemDatabase.count(stored);
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(20))).as("publisher outbox drained").isTrue();
        }
        assertThat(first).as("the monitor was killed while events were still being published").isNull();
        assertThat(killedAt).as("stored when the kill happened and publishing ended").isLessThan(EVENTS);

        second = ServiceInstance.start("monitor-service", "monitor-restarted", env);
        second.awaitReady();

        await().atMost(Duration.ofSeconds(90)).until(() -> SystemDatabase.count(stored) >= EVENTS);
        assertThat(SystemDatabase.count(stored)).isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + component + "'"))
                .as("group counts: every error counted once").isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT coalesce(sum(count), 0) FROM monitor.error_counts WHERE category = 'validation'"))
                .as("per-minute counts: every error counted once").isEqualTo(EVENTS);
        try (Resp redis = new Resp()) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    (Long) ((List<?>) redis.command("XPENDING", ServiceInstance.ERRORS + ":stream", "monitor")).get(0) == 0);
        }
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.dead_letters")).isZero();
        System.out.printf("ZEROLOSS kill-9: %d of %d stored when killed, all %d stored once after restart, claimed by the new instance: %.0f%n",
                killedAt, EVENTS, EVENTS, Http.metric(second.url(), "monitor_stream_claimed_total"));
    }
}
