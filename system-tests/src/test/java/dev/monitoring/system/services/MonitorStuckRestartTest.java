package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.testsupport.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A monitor whose ingest writer is stuck inside a call, in a real way: the test takes
 * {@code LOCK TABLE monitor.error_logs IN ACCESS EXCLUSIVE MODE} in a transaction of its own, so the writer's insert
 * waits on the lock, then publishes {@value #EVENTS} errors through the shared publisher (stream and pub/sub). The
 * monitor still answers HTTP and reads its streams (readiness UP), but its liveness must turn DOWN within the stall
 * bound plus a margin, naming {@code ingest-writer} as stalled, and it must raise {@code ingest_stalled} on the alerts
 * channel itself. Then the test does what an orchestrator does with a failing liveness probe: {@code kill -9}, the
 * lock released, a new monitor on the same database, channels and consumer group. The new one must take over the dead
 * consumer's pending entries (claims) and store every error exactly once: nothing pending, no dead letters.
 *
 * <p>Proved able to fail: with the stall bound at 1 h (liveness cannot see the stuck writer) the liveness assertion fails;
 * with the successor's claim idle time at 1 h (no take-over) the errors are never stored and the wait for them fails.
 */
class MonitorStuckRestartTest {
    private static final int EVENTS = 2_000;
    /** {@code LIVENESS_STALL_AFTER}: a worker owing progress this long turns liveness DOWN. */
    private static final Duration STALL_AFTER = Duration.ofSeconds(3);
    /** The self-watch's period ({@code SELF_WATCH_EVERY}, its default). */
    private static final Duration SELF_WATCH_EVERY = Duration.ofSeconds(2);
    /** Slack for a loaded machine: start of the writer's batch after the first publish, health polls, HTTP answers. */
    private static final Duration MARGIN = Duration.ofSeconds(7);
    private static final String WRITER = "ingest-writer";
    private static final Map<String, String> ENV = ServiceInstance.env(
            "LIVENESS_STALL_AFTER", STALL_AFTER.toSeconds() + "s",
            "STREAM_CLAIM_MIN_IDLE", "2s",
            "SELF_WATCH_EVERY", SELF_WATCH_EVERY.toSeconds() + "s",
            // the rules read error_logs too: left on, they would wait on the lock as well and blur which worker stalled
            "ALERTS_EVALUATE_EVERY", "off");

    private static ServiceInstance stuck;
    private static ServiceInstance successor;
    private static Resp.Subscription alerts;

    @AfterAll
    static void stop() {
        if (alerts != null) {
            alerts.close();
        }
        ServiceInstance.killAll(successor == null ? List.of() : List.of(successor));
        if (stuck != null) {
            stuck.killHard();
        }
    }

    @Test
    void aMonitorStuckInAWriteGoesDownAlertsAndItsSuccessorStoresEverythingOnce() throws InterruptedException {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.alerts", "monitor.rejected_events", "monitor.dead_letters", "monitor.counted_events");
        String stream = ServiceInstance.ERRORS + ":stream";
        try (Resp redis = Resp.local()) {
            redis.command("DEL", stream, ServiceInstance.EXECUTIONS + ":stream");
        }
        stuck = ServiceInstance.start("monitor-service", "monitor-stuck", ENV);
        stuck.awaitReady();
        assertThat(stuck.status(HealthWatch.LIVE)).as("liveness of the monitor before its writer is held").isEqualTo(200);
        String deadConsumer = StreamGroup.consumerOf(stuck);
        assertThat(deadConsumer).as("the stuck monitor's consumer name").isNotBlank();
        alerts = Resp.subscribe(ServiceInstance.ALERTS);

        String component = "stuck-" + UUID.randomUUID().toString().substring(0, 8);
        Watch watch;
        long pendingOfDeadConsumer;
        try (SystemDatabase.HeldLock lock = SystemDatabase.lockExclusively("monitor.error_logs")) {
            long publishStart = System.nanoTime();
            try (SharedPublisher publisher = new SharedPublisher(6379, EVENTS)) {
                for (int i = 0; i < EVENTS; i++) {
                    publisher.publishError(component + "-" + i, component);
                }
                assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(20))).as("publisher outbox drained").isTrue();
            }
            watch = watchUntilStuckAndReported(publishStart, stream, deadConsumer, lock);
            // what an orchestrator does once liveness fails: no SIGTERM to a process that cannot finish anyway
            stuck.killHard();
            stuck = null;
            try (Resp redis = Resp.local()) {
                pendingOfDeadConsumer = StreamGroup.pendingOf(redis, stream, deadConsumer);
            }
        }
        System.out.println("STUCK " + watch);

        assertThat(watch.liveDownAfterMillis).withFailMessage("liveness did not turn DOWN naming %s within %d ms of publishing "
                        + "(stall bound %s + margin %s); last liveness answer: %s", WRITER, STALL_AFTER.plus(MARGIN).toMillis(),
                STALL_AFTER, MARGIN, watch.lastLive).isBetween(0L, STALL_AFTER.plus(MARGIN).toMillis());
        assertThat(writerState(watch.liveDown)).as("the workers check names the stalled writer").startsWith("stalled");
        assertThat(watch.notReady).as("readiness answers other than 200 while the writer was held (%d polls)", watch.polls)
                .isEmpty();
        assertThat(watch.stalledAlert).withFailMessage("no ingest_stalled alert for %s on %s before the kill; alerts seen: %s",
                WRITER, ServiceInstance.ALERTS, alerts.messages()).isNotNull();
        assertThat(watch.stalledAlert.path("severity").asText()).isEqualTo("critical");
        assertThat(watch.stalledAlert.path("key").asText()).isEqualTo("ingest_stalled:" + WRITER + "@" + deadConsumer);
        assertThat(watch.waitingOnLock).as("sessions waiting on the lock: the writer inside its insert").isPositive();
        assertThat(watch.pending).as("entries the stuck monitor read and did not acknowledge when it was killed").isEqualTo(EVENTS);
        assertThat(pendingOfDeadConsumer).as("entries pending for the dead consumer %s", deadConsumer).isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'"))
                .as("errors the stuck monitor stored (its transaction never committed)").isZero();

        successor = ServiceInstance.start("monitor-service", "monitor-successor-of-stuck", ENV);
        successor.awaitReady();
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        await().alias("all " + EVENTS + " errors stored by the successor").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> SystemDatabase.count(stored) >= EVENTS);
        try (Resp redis = Resp.local()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> StreamGroup.pending(redis, stream) == 0);
        }
        assertThat(SystemDatabase.count(stored)).isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT count(DISTINCT error_id) FROM monitor.error_logs WHERE component = '" + component + "'"))
                .isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + component + "'"))
                .as("group counts: every error counted once").isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT coalesce(sum(count), 0) FROM monitor.error_counts WHERE category = 'validation'"))
                .as("per-minute counts: every error counted once").isEqualTo(EVENTS);
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.dead_letters")).as("dead letters").isZero();
        double claimed = Http.metric(successor.managementUrl(), "monitor_stream_claimed_total");
        assertThat(claimed).as("entries the successor claimed from the dead consumer (it held %d)", pendingOfDeadConsumer)
                .isGreaterThanOrEqualTo(pendingOfDeadConsumer);
        assertThat(successor.status(HealthWatch.LIVE)).as("the successor's liveness").isEqualTo(200);
        System.out.printf("STUCK take-over: the dead consumer %s held %d entries, the successor claimed %.0f; all %d stored once%n",
                deadConsumer, pendingOfDeadConsumer, claimed, EVENTS);
    }

    /** What was seen of the stuck monitor between the first publish and the kill. */
    private static final class Watch {
        long liveDownAfterMillis = -1;
        JsonNode liveDown;
        String lastLive = "";
        JsonNode stalledAlert;
        long alertAfterMillis = -1;
        long pending = -1;
        long waitingOnLock = -1;
        final List<String> notReady = new ArrayList<>();
        int polls;
        long killedAfterMillis;

        @Override
        public String toString() {
            return String.format("liveness DOWN after %d ms, ingest_stalled alert after %d ms, killed after %d ms (%d polls, readiness "
                            + "not UP %d times); %d entries pending, %d sessions waiting on the lock", liveDownAfterMillis,
                    alertAfterMillis, killedAfterMillis, polls, notReady.size(), pending, waitingOnLock);
        }
    }

    /**
     * Polls liveness and readiness every 200 ms (an external process: nothing to wait on but its answers) until liveness is
     * DOWN naming the writer, the ingest_stalled alert has arrived and the monitor has read every entry; bounded.
     */
    private static Watch watchUntilStuckAndReported(long publishStart, String stream, String consumer, SystemDatabase.HeldLock lock)
            throws InterruptedException {
        Watch w = new Watch();
        long deadline = publishStart + STALL_AFTER.plus(MARGIN).plus(SELF_WATCH_EVERY).plus(MARGIN).toNanos();
        try (Resp redis = Resp.local()) {
            while (System.nanoTime() < deadline) {
                w.polls++;
                HttpResponse<String> live = Http.get(stuck.managementUrl() + HealthWatch.LIVE);
                HttpResponse<String> ready = Http.get(stuck.managementUrl() + HealthWatch.READY);
                long at = millisSince(publishStart);
                w.lastLive = live.statusCode() + " " + live.body().replaceAll("\\s+", " ");
                if (ready.statusCode() != 200) {
                    w.notReady.add("+" + at + " ms " + ready.statusCode() + " " + ready.body().replaceAll("\\s+", " "));
                }
                if (w.liveDown == null && live.statusCode() == 503 && writerState(json(live.body())).startsWith("stalled")) {
                    w.liveDownAfterMillis = at;
                    w.liveDown = json(live.body());
                    w.waitingOnLock = lock.waiting();
                }
                if (w.stalledAlert == null) {
                    w.stalledAlert = alerts.messages().stream().map(MonitorStuckRestartTest::json)
                            .filter(a -> "ingest_stalled".equals(a.path("rule").asText())
                                    && a.path("key").asText().startsWith("ingest_stalled:" + WRITER + "@" + consumer))
                            .findFirst().orElse(null);
                    if (w.stalledAlert != null) {
                        w.alertAfterMillis = at;
                    }
                }
                w.pending = StreamGroup.pending(redis, stream);
                if (w.liveDown != null && w.stalledAlert != null && w.pending == EVENTS) {
                    break;
                }
                Thread.sleep(200); // the polling period
            }
        }
        w.killedAfterMillis = millisSince(publishStart);
        return w;
    }

    /** What the liveness check {@code workers} says of the writer ("running (...)", "stalled (...)"), empty when absent. */
    private static String writerState(JsonNode live) {
        for (JsonNode check : live.path("checks")) {
            if ("workers".equals(check.path("name").asText())) {
                return check.path("data").path(WRITER).asText("");
            }
        }
        return "";
    }

    private static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
