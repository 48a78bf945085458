package dev.monitoring.system.services;

import dev.monitoring.testsupport.Resp;
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
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.alerts", "monitor.rejected_events", "monitor.dead_letters");
        try (Resp redis = Resp.local()) {
            redis.command("DEL", ServiceInstance.ERRORS + ":stream", ServiceInstance.EXECUTIONS + ":stream");
        }
        // a killed consumer's entries are claimed after 2 s instead of the default minute
        var env = ServiceInstance.env("STREAM_CLAIM_MIN_IDLE", "2s", "ALERTS_EVALUATE_EVERY", "off");
        first = ServiceInstance.start("monitor-service", "monitor-killed", env);
        first.awaitReady();

        String component = "kill9-" + UUID.randomUUID().toString().substring(0, 8);
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        String stream = ServiceInstance.ERRORS + ":stream";
        String deadConsumer = StreamGroup.consumerOf(first);
        long storedAtKill = -1;
        int sentAtKill = -1;
        long pendingAtKill = -1;
        try (SharedPublisher publisher = new SharedPublisher(6379, EVENTS); Resp redis = Resp.local()) {
            int sent = 0;
            SystemDatabase.HeldLock writerHeld = null;
            try {
                // 4,000 events/s in bursts of 400; once a quarter of them are stored, the writer is held on a table lock so
                // the monitor certainly holds entries it has read and not acknowledged, and is killed with them
                while (sent < EVENTS) {
                    for (int i = 0; i < 400; i++, sent++) {
                        publisher.publishError(component + "-" + sent, component);
                    }
                    long storedNow = first != null && writerHeld == null ? SystemDatabase.count(stored) : -1;
                    if (storedNow >= EVENTS / 4) {
                        // nothing commits while the lock is held (and the table cannot be counted then): what is stored
                        // now is what the monitor will have committed when it dies, give or take a batch
                        storedAtKill = storedNow;
                        writerHeld = SystemDatabase.lockExclusively("monitor.error_logs");
                    } else if (first != null && writerHeld != null) {
                        SystemDatabase.HeldLock lock = writerHeld;
                        await().atMost(Duration.ofSeconds(20)).until(() -> lock.waiting() > 0
                                && StreamGroup.pendingOf(redis, stream, deadConsumer) > 0);
                        first.killHard();
                        first = null;
                        // the kill point: what the dead monitor had read and not acknowledged
                        sentAtKill = sent;
                        pendingAtKill = StreamGroup.pendingOf(redis, stream, deadConsumer);
                        writerHeld.close();
                        writerHeld = null;
                    }
                    Thread.sleep(100); // paces the producer only
                }
            } finally {
                if (writerHeld != null) {
                    writerHeld.close();
                }
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(20))).as("publisher outbox drained").isTrue();
        }
        assertThat(first).as("the monitor was killed while events were still being published").isNull();
        assertThat(storedAtKill).as("errors stored when the monitor was killed (published by then: %d)", sentAtKill)
                .isBetween((long) EVENTS / 4, (long) EVENTS - 1);
        assertThat(sentAtKill).as("errors published when the monitor was killed").isLessThan(EVENTS);

        second = ServiceInstance.start("monitor-service", "monitor-restarted", env);
        second.awaitReady();

        await().atMost(Duration.ofSeconds(90)).until(() -> SystemDatabase.count(stored) >= EVENTS);
        assertThat(SystemDatabase.count(stored)).isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + component + "'"))
                .as("group counts: every error counted once").isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT coalesce(sum(count), 0) FROM monitor.error_counts WHERE category = 'validation'"))
                .as("per-minute counts: every error counted once").isEqualTo(EVENTS);
        try (Resp redis = Resp.local()) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    StreamGroup.pending(redis, ServiceInstance.ERRORS + ":stream") == 0);
        }
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.dead_letters")).isZero();
        // the take-over path ran: what the dead consumer had read and not acknowledged was claimed by the new instance
        double claimed = Http.metric(second.managementUrl(), "monitor_stream_claimed_total");
        assertThat(pendingAtKill).as("entries the killed monitor (%s) had read and not acknowledged", deadConsumer).isPositive();
        assertThat(claimed).as("entries the new instance claimed (the dead consumer held %d)", pendingAtKill)
                .isPositive().isGreaterThanOrEqualTo(pendingAtKill);
        System.out.printf("ZEROLOSS kill-9: killed with %d of %d stored (%d published, %d read and not acknowledged), all %d stored once "
                + "after restart, claimed by the new instance: %.0f%n", storedAtKill, EVENTS, sentAtKill, pendingAtKill, EVENTS, claimed);
    }
}
