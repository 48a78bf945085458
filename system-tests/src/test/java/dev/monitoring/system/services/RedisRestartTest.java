package dev.monitoring.system.services;

import dev.monitoring.testsupport.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, fault test 2: a test-owned redis-server (AOF on) goes away while the runner's publisher sends.
 *
 * <p>Stopped cleanly (SIGTERM) and started again: events published while Redis is away wait in the publisher's outbox;
 * what Redis had accepted survives in the stream (AOF), pending entries included; the monitor resubscribes, reads on
 * and acknowledges. Nothing is lost.
 *
 * <p>Killed (SIGKILL) with the persistence the project ships ({@code appendonly yes}, {@code appendfsync everysec}),
 * while no monitor runs, so that the AOF is the only holder of what Redis acknowledged: everything Redis acknowledged
 * more than a second before the crash is stored once a monitor is back (what {@code everysec} promises); what it
 * acknowledged in the last second may be lost, and the test says how much was.
 */
class RedisRestartTest {
    private static final int BURST = 200;
    private static final long BURST_EVERY_MILLIS = 100;
    /** What {@code appendfsync everysec} may lose: writes of about the last second before a crash. */
    private static final Duration EVERYSEC_WINDOW = Duration.ofSeconds(1);
    private OwnRedis redis;
    private ServiceInstance monitor;

    @AfterEach
    void stop() {
        ServiceInstance.killAll(monitor == null ? List.of() : List.of(monitor));
        monitor = null;
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void nothingIsLostWhenRedisRestartsDuringPublishing() throws InterruptedException {
        final int minEvents = 6_000;
        final long stopOnceStored = 300;
        resetDatabase();
        redis = new OwnRedis();
        redis.start();
        monitor = startMonitor("monitor-own-redis");

        String component = "aof-" + UUID.randomUUID().toString().substring(0, 8);
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        long storedBeforeStop = -1;
        int sentAtStop = -1;
        int sentAtRestart = -1;
        int sent = 0;
        try (SharedPublisher publisher = new SharedPublisher(redis.port, 2 * minEvents)) {
            // 2,000 events/s in bursts of 200; Redis is stopped once the monitor has stored some (mid-stream), started
            // again 1 s later, and publishing goes on for at least 1 s after that
            for (int burst = 0, restartBurst = -1; sent < minEvents || restartBurst < 0 || burst < restartBurst + 10; burst++) {
                for (int i = 0; i < BURST; i++, sent++) {
                    publisher.publishError(component + "-" + sent, component);
                }
                if (sentAtStop < 0 && sent > 10 * minEvents) {
                    throw new AssertionError("the monitor stored " + SystemDatabase.count(stored) + " of " + sent
                            + " events, never the " + stopOnceStored + " after which Redis is to stop:\n" + monitor.tail());
                }
                if (sentAtStop < 0 && SystemDatabase.count(stored) >= stopOnceStored) {
                    storedBeforeStop = SystemDatabase.count(stored);
                    sentAtStop = sent;
                    redis.stop();
                } else if (sentAtStop >= 0 && restartBurst < 0 && sent >= sentAtStop + 10 * BURST) {
                    assertThat(publisher.publisher().status().redisReachable()).as("the publisher noticed Redis was gone").isFalse();
                    redis.start();
                    restartBurst = burst;
                    sentAtRestart = sent;
                }
                Thread.sleep(BURST_EVERY_MILLIS); // paces the producer only
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(30))).as("outbox flushed after the restart").isTrue();
            assertThat(publisher.publisher().status().dropped()).isZero();
        }
        // the stop fell mid-stream: some stored before it, more published after it and after the restart
        final int events = sent;
        assertThat(storedBeforeStop).as("stored before Redis stopped (of %d)", events).isGreaterThanOrEqualTo(stopOnceStored)
                .isLessThan(events);
        assertThat(sentAtStop).as("published when Redis stopped").isLessThan(sentAtRestart);
        assertThat(sentAtRestart).as("published when Redis was back").isLessThan(events);

        await().atMost(Duration.ofSeconds(60)).until(() -> SystemDatabase.count(stored) >= events);
        assertThat(SystemDatabase.count(stored)).isEqualTo(events);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + component + "'"))
                .as("group counts: every error counted once").isEqualTo(events);
        try (Resp r = Resp.tcp(redis.port)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> StreamGroup.pending(r, ServiceInstance.ERRORS + ":stream") == 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.status("/q/health/ready") == 200);
        System.out.printf("ZEROLOSS redis-restart: %d stored and %d published before Redis stopped, %d published when it was back, "
                + "all %d stored once; the monitor reports lag %d, gap %d%n", storedBeforeStop, sentAtStop, sentAtRestart, events,
                streamData(monitor, "lag"), streamData(monitor, "gap_events"));
    }

    /**
     * SIGKILL of Redis with the shipped persistence. The monitor stores the first events, then stops (SIGTERM: it leaves
     * nothing pending); events go on into the stream only, Redis is killed at least two seconds later, stays down a
     * second (the outbox holds what is published meanwhile) and starts again on its AOF; then a new monitor starts.
     * The publisher's acknowledgements are sampled all along (its outbox sends in order, so after {@code n}
     * acknowledged events the first {@code n} are acknowledged): every event acknowledged more than a second before
     * the kill must be stored, and the only events allowed to be missing are those acknowledged in that last second.
     * With AOF off (or a Redis that loses its files) this fails: the events that existed only in Redis are gone.
     */
    @Test
    void everythingAcknowledgedBeforeTheLastSecondSurvivesAKillNineOfRedisWithTheShippedPersistence() throws InterruptedException {
        resetDatabase();
        List<String> shipped = OwnRedis.shipped();
        assertThat(String.join(" ", shipped)).as("the shipped persistence").contains("--appendonly yes").contains("--appendfsync everysec");
        redis = new OwnRedis(shipped);
        redis.start();
        monitor = startMonitor("monitor-redis-killed-1");

        String component = "aofkill-" + UUID.randomUUID().toString().substring(0, 8);
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        String stream = ServiceInstance.ERRORS + ":stream";
        long storedWhenMonitorStopped;
        int sent = 0;
        long killedAt;
        long restartedAt;
        Acknowledgements acks;
        try (SharedPublisher publisher = new SharedPublisher(redis.port, 100_000)) {
            acks = Acknowledgements.sample(publisher);
            // bursts of 200 every 100 ms until the monitor has stored some
            while (SystemDatabase.count(stored) < 300) {
                sent = burst(publisher, component, sent);
                if (sent > 60_000) {
                    throw new AssertionError("the monitor stored nothing of " + sent + " events:\n" + monitor.tail());
                }
            }
            monitor.kill(); // SIGTERM: it stores and acknowledges what it read, then exits
            monitor = null;
            storedWhenMonitorStopped = SystemDatabase.count(stored);
            // two seconds of events that only Redis holds, then the crash
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                sent = burst(publisher, component, sent);
            }
            killedAt = System.nanoTime();
            redis.kill();
            // a second down: the outbox holds what is published meanwhile
            until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < until) {
                sent = burst(publisher, component, sent);
            }
            restartedAt = System.nanoTime();
            redis.start();
            for (int i = 0; i < 10; i++) {
                sent = burst(publisher, component, sent);
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(30))).as("outbox flushed after the restart").isTrue();
            assertThat(publisher.publisher().status().dropped()).as("events the publisher dropped").isZero();
            acks.stop();
        }
        long ackedBeforeWindow = acks.ackedAtOrBefore(killedAt - EVERYSEC_WINDOW.toNanos());
        // nothing is acknowledged while Redis is dead: what was at the restart was at the kill
        long ackedAtKill = acks.ackedAtOrBefore(restartedAt);
        assertThat(ackedBeforeWindow).as("events acknowledged more than %s before the kill that no monitor had stored (only the AOF "
                + "held them); stored when the monitor stopped: %d", EVERYSEC_WINDOW, storedWhenMonitorStopped)
                .isGreaterThan(storedWhenMonitorStopped + 1_000);

        monitor = startMonitor("monitor-redis-killed-2");
        // every entry of the recovered stream read and acknowledged (its group: nothing unread, nothing pending)
        try (Resp r = Resp.tcp(redis.port)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(allRead(r, stream) && StreamGroup.pending(r, stream) == 0 && SystemDatabase.count(stored) >= ackedBeforeWindow)
                            .withFailMessage("the recovered stream not read and acknowledged by the new monitor: group %s, stream "
                                    + "last id %s, %d stored", groupInfo(r, stream),
                                    StreamGroup.streamInfo(r, stream).get("last-generated-id"),
                                    SystemDatabase.count(stored)).isTrue());
        }
        Set<Integer> storedIds = new HashSet<>();
        for (Map<String, Object> row : SystemDatabase.query("SELECT error_id FROM monitor.error_logs WHERE component = '" + component + "'")) {
            storedIds.add(Integer.parseInt(String.valueOf(row.get("error_id")).substring(component.length() + 1)));
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            if (!storedIds.contains(i)) {
                missing.add(i);
            }
        }
        List<Integer> missingOutsideWindow = missing.stream().filter(i -> i < ackedBeforeWindow || i >= ackedAtKill).toList();
        System.out.printf("ZEROLOSS redis-kill-9 (%s): %d published, %d stored when the monitor stopped, %d acknowledged by Redis more "
                        + "than %d ms before the kill, %d at the kill; lost in the last %d ms: %d; stored %d%n",
                shipped.stream().map(a -> a.isEmpty() ? "\"\"" : a).collect(java.util.stream.Collectors.joining(" ")),
                sent, storedWhenMonitorStopped, ackedBeforeWindow, EVERYSEC_WINDOW.toMillis(), ackedAtKill, EVERYSEC_WINDOW.toMillis(),
                missing.size() - missingOutsideWindow.size(), storedIds.size());
        assertThat(missingOutsideWindow).withFailMessage("%d events acknowledged by Redis more than %s before the kill (or after it) "
                        + "are not stored, e.g. %s; acknowledged before the window: %d, at the kill: %d; Redis' log:%n%s",
                missingOutsideWindow.size(), EVERYSEC_WINDOW, missingOutsideWindow.stream().limit(10).toList(), ackedBeforeWindow,
                ackedAtKill, redis.log()).isEmpty();
        assertThat(SystemDatabase.count(stored)).as("rows: each stored event once").isEqualTo(storedIds.size());
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + component + "'"))
                .as("group counts: every stored error counted once").isEqualTo(storedIds.size());
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.dead_letters")).as("dead letters").isZero();
    }

    /**
     * A Redis restart loses nothing here, so nothing may be reported lost. Every entry is stored and acknowledged, then
     * trimmed from the stream (what {@code MAXLEN ~} does to stored entries in any system that ran long enough), then
     * Redis restarts cleanly on its AOF (shipped persistence), and a sentinel entry is added to the stream only: once
     * the monitor has stored it, it has looked at the group again after the restart. It must report no gap (no
     * {@code monitor_stream_gap_events_total}, which raises the critical {@code stream_gap} alert "they are lost") and no
     * lag.
     */
    @Test
    void aRedisRestartThatLostNothingReportsNoGap() throws InterruptedException {
        final int events = 300;
        resetDatabase();
        redis = new OwnRedis(OwnRedis.shipped());
        redis.start();
        monitor = startMonitor("monitor-redis-restart-gap");
        String component = "nogap-" + UUID.randomUUID().toString().substring(0, 8);
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'";
        String stream = ServiceInstance.ERRORS + ":stream";
        try (SharedPublisher publisher = new SharedPublisher(redis.port, events)) {
            for (int i = 0; i < events; i++) {
                publisher.publishError(component + "-" + i, component);
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        try (Resp r = Resp.tcp(redis.port)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> SystemDatabase.count(stored) >= events
                    && allRead(r, stream) && StreamGroup.pending(r, stream) == 0);
            r.command("XTRIM", stream, "MAXLEN", "10");
        }
        assertThat(streamData(monitor, "gap_events")).as("gap before the restart").isZero();

        redis.stop();
        redis.start();
        String sentinel = component + "-sentinel";
        try (Resp r = Resp.tcp(redis.port)) {
            r.command("XADD", stream, "*", "event", "{\"error_id\":\"" + sentinel + "\",\"severity\":\"error\","
                    + "\"error_message\":\"after the restart\",\"context\":{\"component\":\"" + component + "\"}}");
            await().alias("the sentinel stored from the stream after the restart").atMost(Duration.ofSeconds(60))
                    .until(() -> SystemDatabase.count(stored) >= events + 1 && StreamGroup.pending(r, stream) == 0);
            String group = String.valueOf(groupInfo(r, stream));
            assertThat(SystemDatabase.count(stored)).isEqualTo(events + 1);
            assertThat(Http.metric(monitor.managementUrl(), "monitor_stream_gap_events_total"))
                    .withFailMessage("the monitor counted %.0f entries as lost after a Redis restart that lost none (all %d and the "
                                    + "sentinel are stored); the group after the restart: %s", Http.metric(monitor.managementUrl(),
                                    "monitor_stream_gap_events_total"), events, group)
                    .isZero();
            assertThat(streamData(monitor, "lag")).as("lag the monitor reports once it has read everything (group %s)", group).isZero();
        }
    }

    /** A value of the monitor's readiness data for the errors stream ({@code <stream>.<name>}), -1 when absent. */
    private static long streamData(ServiceInstance monitor, String name) {
        for (var check : Http.json(monitor.managementUrl() + "/q/health/ready").path("checks")) {
            if ("redis-stream".equals(check.path("name").asText())) {
                return check.path("data").path(ServiceInstance.ERRORS + ":stream." + name).asLong(-1);
            }
        }
        return -1;
    }

    /** One burst of {@value #BURST} errors, then the pause that makes 2,000 events/s; returns the new count sent. */
    private static int burst(SharedPublisher publisher, String component, int sent) throws InterruptedException {
        for (int i = 0; i < BURST; i++, sent++) {
            publisher.publishError(component + "-" + sent, component);
        }
        Thread.sleep(BURST_EVERY_MILLIS); // paces the producer only
        return sent;
    }

    /**
     * Whether the group "monitor" has read every entry of the stream: its last delivered id is the stream's last id
     * (XINFO; the group's {@code lag} field is not used, Redis may not know it after loading its AOF).
     */
    private static boolean allRead(Resp redis, String stream) {
        Map<String, Object> group = groupInfo(redis, stream);
        return group != null && String.valueOf(StreamGroup.streamInfo(redis, stream).get("last-generated-id"))
                .equals(String.valueOf(group.get("last-delivered-id")));
    }

    /** XINFO GROUPS of the group "monitor", null when there is none. */
    private static Map<String, Object> groupInfo(Resp redis, String stream) {
        for (Object group : (List<?>) redis.command("XINFO", "GROUPS", stream)) {
            Map<String, Object> info = StreamGroup.fields((List<?>) group);
            if (StreamGroup.GROUP.equals(info.get("name"))) {
                return info;
            }
        }
        return null;
    }

    /**
     * The publisher's acknowledged count (events Redis answered, in publishing order) sampled every few milliseconds
     * on its own thread, with when each sample was taken.
     */
    private static final class Acknowledgements {
        private final List<long[]> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean stopped;

        private Acknowledgements(SharedPublisher publisher) {
            thread = new Thread(() -> {
                while (!stopped) {
                    long published = publisher.publisher().status().published();
                    synchronized (samples) {
                        samples.add(new long[]{System.nanoTime(), published});
                    }
                    try {
                        Thread.sleep(2); // the sampling period
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "acknowledgements");
            thread.setDaemon(true);
        }

        static Acknowledgements sample(SharedPublisher publisher) {
            Acknowledgements a = new Acknowledgements(publisher);
            a.thread.start();
            return a;
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(5_000);
        }

        /** Events acknowledged by the last sample taken at or before {@code nanos} (a lower bound of what was by then). */
        long ackedAtOrBefore(long nanos) {
            long acked = 0;
            synchronized (samples) {
                for (long[] s : samples) {
                    if (s[0] <= nanos) {
                        acked = Math.max(acked, s[1]);
                    }
                }
            }
            return acked;
        }
    }

    private static void resetDatabase() {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.dead_letters");
    }

    private ServiceInstance startMonitor(String name) {
        ServiceInstance m = ServiceInstance.start("monitor-service", name, ServiceInstance.env(
                "REDIS_URL", "redis://127.0.0.1:" + redis.port, "ALERTS_EVALUATE_EVERY", "off",
                "REDIS_RECONNECT_MAX_DELAY", "1s", "STREAM_CLAIM_MIN_IDLE", "2s"));
        m.awaitReady();
        return m;
    }
}
