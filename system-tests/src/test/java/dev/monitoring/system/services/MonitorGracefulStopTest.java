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
 * A monitor stopped the ordinary way (SIGTERM, as in a rolling update) in the middle of the durable stream stops
 * reading first, then stores and acknowledges what it had read: nothing is left pending for another replica to claim
 * a minute later (the claim idle time stays at its default of 60 s here, longer than this test waits).
 */
class MonitorGracefulStopTest {
    private static final int EVENTS = 20_000;
    /**
     * Published once the first monitor has exited, so that some are left for the successor whatever the machine's
     * speed (on a loaded one the first monitor had stored all 20,000 by the time it exited).
     */
    private static final int AFTER_STOP = 1_000;
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
    void aStoppedMonitorLeavesNothingPendingAndItsSuccessorStoresTheRest() throws InterruptedException {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.dead_letters");
        try (Resp redis = Resp.local()) {
            redis.command("DEL", ServiceInstance.ERRORS + ":stream", ServiceInstance.EXECUTIONS + ":stream");
        }
        var env = ServiceInstance.env("ALERTS_EVALUATE_EVERY", "off");
        first = ServiceInstance.start("monitor-service", "monitor-stopped", env);
        first.awaitReady();

        String component = "sigterm-" + UUID.randomUUID().toString().substring(0, 8);
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        long pendingAfterStop;
        try (SharedPublisher publisher = new SharedPublisher(6379, EVENTS); Resp redis = Resp.local()) {
            // the producer keeps sending while the monitor shuts down: about 5,000 events/s for 4 s
            Thread producer = new Thread(() -> {
                for (int sent = 0; sent < EVENTS - AFTER_STOP; ) {
                    for (int i = 0; i < 50; i++, sent++) {
                        publisher.publishError(component + "-" + sent, component);
                    }
                    try {
                        Thread.sleep(10); // paces the producer only
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            producer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> SystemDatabase.count(stored) >= EVENTS / 5);
            first.kill(); // SIGTERM, waits for the process to exit
            first = null;
            pendingAfterStop = StreamGroup.pending(redis, ServiceInstance.ERRORS + ":stream");
            producer.join(30_000);
            assertThat(producer.isAlive()).as("the producer still sending after 30 s").isFalse();
            for (int sent = EVENTS - AFTER_STOP; sent < EVENTS; sent++) {
                publisher.publishError(component + "-" + sent, component);
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(SystemDatabase.count(stored)).as("stored by the first monitor").isLessThanOrEqualTo(EVENTS - AFTER_STOP);
        assertThat(pendingAfterStop).as("entries the stopped monitor read but did not acknowledge").isZero();

        second = ServiceInstance.start("monitor-service", "monitor-successor", env);
        second.awaitReady();
        await().atMost(Duration.ofSeconds(40)).until(() -> SystemDatabase.count(stored) >= EVENTS);
        assertThat(SystemDatabase.count(stored)).isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + component + "'"))
                .isEqualTo(EVENTS);
        assertThat(Http.metric(second.managementUrl(), "monitor_stream_claimed_total")).as("nothing had to be claimed").isZero();
    }
}
