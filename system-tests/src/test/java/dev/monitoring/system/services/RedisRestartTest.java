package dev.monitoring.system.services;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, fault test 2: a test-owned redis-server (AOF on) is stopped and started again while the runner's publisher
 * sends. Events published while Redis is away wait in the publisher's outbox; what Redis had accepted survives in the
 * stream (AOF), pending entries included; the monitor resubscribes, reads on and acknowledges. Nothing is lost.
 */
class RedisRestartTest {
    private static final int EVENTS = 6_000;
    private static OwnRedis redis;
    private static ServiceInstance monitor;

    @AfterAll
    static void stop() {
        ServiceInstance.killAll(monitor == null ? List.of() : List.of(monitor));
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void nothingIsLostWhenRedisRestartsDuringPublishing() throws InterruptedException {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_groups", "monitor.error_counts", "monitor.dead_letters");
        redis = new OwnRedis();
        redis.start();
        monitor = ServiceInstance.start("monitor-service", "monitor-own-redis", ServiceInstance.env(
                "REDIS_URL", "redis://127.0.0.1:" + redis.port, "ALERTS_EVALUATE_EVERY", "off",
                "REDIS_RECONNECT_MAX_DELAY", "1s", "STREAM_CLAIM_MIN_IDLE", "2s"));
        monitor.awaitReady();

        String component = "aof-" + UUID.randomUUID().toString().substring(0, 8);
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        long storedBeforeStop = -1;
        try (SharedPublisher publisher = new SharedPublisher(redis.port, EVENTS)) {
            int sent = 0;
            // 2,000 events/s in bursts of 200 for 3 s; Redis is down from 1 s to about 2 s
            for (int burst = 0; sent < EVENTS; burst++) {
                for (int i = 0; i < 200; i++, sent++) {
                    publisher.publishError(component + "-" + sent, component);
                }
                if (burst == 10) {
                    storedBeforeStop = SystemDatabase.count(stored);
                    redis.stop();
                }
                if (burst == 20) {
                    assertThat(publisher.publisher().status().redisReachable()).as("the publisher noticed Redis was gone").isFalse();
                    redis.start();
                }
                Thread.sleep(100); // paces the producer only
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(30))).as("outbox flushed after the restart").isTrue();
            assertThat(publisher.publisher().status().dropped()).isZero();
        }
        assertThat(storedBeforeStop).isBetween(0L, (long) EVENTS - 1);

        await().atMost(Duration.ofSeconds(60)).until(() -> SystemDatabase.count(stored) >= EVENTS);
        assertThat(SystemDatabase.count(stored)).isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + component + "'"))
                .as("group counts: every error counted once").isEqualTo(EVENTS);
        try (Resp r = new Resp(redis.port)) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    (Long) ((List<?>) r.command("XPENDING", ServiceInstance.ERRORS + ":stream", "monitor")).get(0) == 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.status("/q/health/ready") == 200);
        System.out.printf("ZEROLOSS redis-restart: %d of %d stored before Redis stopped, all %d stored once after it came back%n",
                storedBeforeStop, EVENTS, EVENTS);
    }
}
