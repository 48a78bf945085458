package dev.monitoring.system.services;

import dev.monitoring.system.services.HostileEvents.Adversarial;
import dev.monitoring.system.services.HostileEvents.Entry;
import dev.monitoring.system.services.HostileEvents.Expect;
import dev.monitoring.system.services.HostileEvents.Kind;
import dev.monitoring.system.services.HostileEvents.Plain;
import dev.monitoring.testsupport.Resp;
import dev.monitoring.testsupport.Resp.Publication;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile suite (issue "one message stalls every monitor"): one real monitor on its own channels and database
 * receives 10,000 adversarial messages generated from a fixed seed ({@link HostileEvents}: the issue's
 * {@code "1a"×2500+"g"} and its stale untargeted job among them) interleaved with 10,000 plain valid errors, published
 * in pipelined bursts of 100 every 100 ms (1,000 messages/s, about 3 MB/s of payload: the adversarial ones average
 * several KB, up to 64 KiB; at 4,000/s the mix was 11 MB/s, more than two cores shared with PostgreSQL can parse and
 * store, which is throughput, not the stall this suite is about). Every plain error and every valid adversarial event must
 * be stored, every invalid one rejected, publish-to-row p99 of the plain ones under 2 s (or 3 times the baseline's on a
 * machine loaded enough to slow the baseline), liveness and readiness UP at
 * every poll (200 ms), the heap bounded, and alert evaluation still working once a stale untargeted job is stored.
 *
 * <p>The heap bound: the monitor runs with -Xmx256m (every {@link ServiceInstance}) and -XX:+ExitOnOutOfMemoryError,
 * so needing more heap than that kills it, which the test sees (process dead, health polls failing, OutOfMemoryError in
 * its log). And after the run a full collection is forced ({@code jcmd <pid> GC.run}): what the monitor still holds
 * then ({@code jvm_memory_used_bytes{area="heap"}}) must be under 3/4 of the cap, so growth that would end in that
 * death (a leak, an unbounded buffer) fails the test before it does. Heap in use is also sampled every second.
 *
 * <p>Waits are bounded (60 s for every message to be accounted for, 15 s for the alert), so a stalled monitor fails the
 * test within about 1.5 minutes, with what was missing and why.
 *
 * <p>Before the mix, a baseline: 5,000 plain errors alone at the same message rate. It warms the monitor up (the
 * benchmark does the same) and says what the machine gives the monitor right now; with the CPU the monitor, its writer
 * thread and PostgreSQL used, and the time the monitor's threads spent runnable but waiting for a CPU (all printed, and in
 * the p99 failure message), a p99 over the limit can be told apart: the hostile messages' cost, or the machine's load.
 */
class HostileSuiteTest {
    private static final long SEED = 20_261_130L;
    private static final int BURST = 100;
    /** Plain errors published alone before the mix, at the same message rate: the warm-up and the control. */
    private static final int BASELINE = 5_000;
    private static final long BURST_EVERY_MILLIS = 100;
    private static final Duration ACCOUNTED_WITHIN = Duration.ofSeconds(60);
    private static final Duration ALERT_WITHIN = Duration.ofSeconds(15);
    private static final double P99_LIMIT_MILLIS = 2_000;
    /**
     * On a machine so loaded that plain errors alone already wait (the baseline's p99 over a third of the limit: seen at
     * a load average of 9 on 2 cores while the other test lane ran browsers), the mix may take this many times the
     * baseline's p99. A message that stalls the writer (a regex running for minutes) is far beyond either bound.
     */
    private static final double LOADED_MACHINE_FACTOR = 3;
    private static final double LIVE_HEAP_LIMIT_BYTES = ServiceInstance.HEAP_MIB * 1024.0 * 1024 * 3 / 4;
    private static final int SHOWN = 10;
    private static final String WRITER_THREAD = "monitor-ingest-writer";

    private static ServiceInstance monitor;

    @AfterAll
    static void stop() {
        if (monitor != null) {
            System.out.println(monitor.footprint());
            // nothing left to flush that the test needs; a SIGTERM would wait out a writer stuck in a regex
            monitor.killHard();
        }
    }

    /** Same seed, same messages; and the issue's two cases are among them. Needs no service. */
    @Test
    void theGeneratorIsDeterministicAndHoldsTheIssuesCases() {
        Instant base = Instant.parse("2026-11-30T12:00:00Z");
        HostileEvents one = HostileEvents.generate("hsdeterm", SEED, base, ServiceInstance.ERRORS, ServiceInstance.EXECUTIONS);
        HostileEvents two = HostileEvents.generate("hsdeterm", SEED, base, ServiceInstance.ERRORS, ServiceInstance.EXECUTIONS);
        assertThat(two.order()).as("the same seed gives the same mix in the same order").isEqualTo(one.order());
        assertThat(one.adversarial()).hasSize(HostileEvents.ADVERSARIAL);
        assertThat(one.order()).hasSize(HostileEvents.ADVERSARIAL + HostileEvents.PLAIN);
        assertThat(one.adversarial()).as("the issue's message, verbatim")
                .anyMatch(a -> a.payload().contains("\"" + HostileEvents.ISSUE_MESSAGE + "\""));
        assertThat(one.adversarial()).as("the issue's stale untargeted job: a job, no target, thresholds 1 s and 2 s")
                .anyMatch(a -> a.category().equals(HostileEvents.STALE_JOB_CATEGORY) && a.payload().contains("\"job.succeeded\"")
                        && a.payload().contains("\"fresh_seconds\":1") && a.payload().contains("\"stale_seconds\":2")
                        && !a.payload().contains("symbol"));
        assertThat(one.adversarial().stream().map(Adversarial::expect).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(Expect.STORED, Expect.REJECTED);
        List<String> disagreements = one.disagreementsWithCodec();
        assertThat(disagreements).as("the generator's valid/invalid labels agree with the shared codec (%d disagree)",
                disagreements.size()).isEmpty();
    }

    @Test
    void hostileTrafficNeitherStallsIngestNorLosesAValidEvent() throws InterruptedException {
        long testStart = System.nanoTime();
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.alerts",
                "monitor.rejected_events", "monitor.executions", "monitor.execution_keys", "monitor.freshness", "monitor.counted_events", "monitor.dead_letters");
        try (Resp redis = Resp.local()) {
            redis.command("DEL", ServiceInstance.ERRORS + ":stream", ServiceInstance.EXECUTIONS + ":stream");
        }
        monitor = ServiceInstance.start("monitor-service", "monitor-hostile",
                ServiceInstance.env("ALERTS_EVALUATE_EVERY", "1s"), List.of("-XX:+ExitOnOutOfMemoryError"));

        // generated while the monitor starts; ids carry a per-run prefix (no '_' or '%': matched with LIKE)
        String run = "hs" + UUID.randomUUID().toString().substring(0, 8);
        HostileEvents events = HostileEvents.generate(run, SEED, Instant.now(), ServiceInstance.ERRORS, ServiceInstance.EXECUTIONS);
        List<String> disagreements = events.disagreementsWithCodec();
        assertThat(disagreements).as("the generator's valid/invalid labels agree with the shared codec (%d disagree)",
                disagreements.size()).isEmpty();
        Expected expected = new Expected(events);

        monitor.awaitReady();
        try (Resp redis = Resp.local()) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    redis.subscribers(ServiceInstance.ERRORS) >= 1 && redis.subscribers(ServiceInstance.EXECUTIONS) >= 1);
        }

        Outcome outcome;
        try (HealthWatch watch = HealthWatch.start(monitor)) {
            Baseline baseline = baseline(events);
            long publishStart = System.nanoTime();
            CpuSample before = CpuSample.take();
            List<Long> receivers = publish(events);
            long publishMillis = millisSince(publishStart);
            Accounting accounting = awaitAccounted(events, expected);
            CpuUse cpu = CpuSample.take().since(before);
            AlertCheck alert = checkAlertAfterStaleJob(run, events);
            watch.stop();
            outcome = new Outcome(baseline, receivers, publishMillis, accounting, cpu, alert, watch, heapAfterFullGc());
        }
        Results results = new Results(events, expected);
        System.out.println(summary(run, expected, results, outcome, millisSince(testStart)));
        assertAll(events, expected, results, outcome);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The control: {@value #BASELINE} plain errors alone, at the mix's message rate, before it. It warms the monitor up
     * (the mix is measured on a JIT-compiled monitor with its connections open, as the benchmark does), and its
     * latencies say what this machine gives the monitor right now: a mix p99 over the limit with a baseline under it is
     * the hostile messages' doing; both over it, the machine's load.
     */
    /** The mix's p99 limit: {@value #P99_LIMIT_MILLIS} ms, or more on a machine whose load slowed the baseline already. */
    private static double p99Limit(Baseline baseline) {
        return Math.max(P99_LIMIT_MILLIS, LOADED_MACHINE_FACTOR * baseline.p99());
    }

    private record Baseline(long publishMillis, long stored, long accountedMillis, double p50, double p99, CpuUse cpu) {
        @Override
        public String toString() {
            return String.format("%d plain errors alone published in %d ms, %d stored after %d ms more, publish-to-row p50 %s ms "
                    + "p99 %s ms; CPU %s", BASELINE, publishMillis, stored, accountedMillis, fmt(p50), fmt(p99), cpu);
        }
    }

    private static Baseline baseline(HostileEvents events) throws InterruptedException {
        String prefix = events.baselinePrefix();
        CpuSample before = CpuSample.take();
        long publishStart = System.nanoTime();
        try (Resp redis = Resp.local()) {
            for (int from = 0; from < BASELINE; from += BURST) {
                long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BURST_EVERY_MILLIS);
                Instant now = Instant.now();
                List<Publication> burst = new ArrayList<>();
                for (int n = from; n < Math.min(from + BURST, BASELINE); n++) {
                    burst.add(new Publication(ServiceInstance.ERRORS, events.baselinePayload(n, now)));
                }
                redis.publishAll(burst);
                long sleep = TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime());
                if (sleep > 0) {
                    Thread.sleep(sleep); // paces the producer only
                }
            }
        }
        long publishMillis = millisSince(publishStart);
        long waitStart = System.nanoTime();
        String count = "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE '" + prefix + "%'";
        try {
            await().atMost(ACCOUNTED_WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> SystemDatabase.count(count) >= BASELINE);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported and asserted with the rest
        }
        long accountedMillis = millisSince(waitStart);
        CpuUse cpu = CpuSample.take().since(before);
        List<Double> latencies = latenciesMillis(prefix);
        return new Baseline(publishMillis, latencies.size(), accountedMillis, percentile(latencies, 0.50, BASELINE),
                percentile(latencies, 0.99, BASELINE), cpu);
    }

    /** Publish-to-row latencies of the errors whose id starts with the prefix, sorted. */
    private static List<Double> latenciesMillis(String idPrefix) {
        return SystemDatabase.query("SELECT extract(epoch FROM stored_at - occurred_at) * 1000 AS ms "
                        + "FROM monitor.error_logs WHERE error_id LIKE '" + idPrefix + "%'").stream()
                .map(r -> ((Number) r.get("ms")).doubleValue()).sorted().toList();
    }

    /** The p-th percentile over {@code of} errors, those missing from {@code sorted} counted as infinitely late. */
    private static double percentile(List<Double> sorted, double p, int of) {
        int rank = (int) Math.ceil(p * of) - 1;
        return rank < sorted.size() ? sorted.get(rank) : Double.POSITIVE_INFINITY;
    }

    /** Publishes the mix in bursts; a plain error's timestamp is the time its burst goes out. */
    private static List<Long> publish(HostileEvents events) throws InterruptedException {
        List<Long> receivers = new ArrayList<>();
        List<Entry> order = events.order();
        try (Resp redis = Resp.local()) {
            for (int from = 0; from < order.size(); from += BURST) {
                long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BURST_EVERY_MILLIS);
                Instant now = Instant.now();
                List<Publication> burst = new ArrayList<>();
                for (Entry e : order.subList(from, Math.min(from + BURST, order.size()))) {
                    if (e instanceof Plain p) {
                        burst.add(new Publication(ServiceInstance.ERRORS, events.plainPayload(p.n(), now)));
                    } else if (e instanceof Adversarial a) {
                        burst.add(new Publication(a.channel(), a.payload()));
                    }
                }
                receivers.addAll(redis.publishAll(burst));
                long sleep = TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime());
                if (sleep > 0) {
                    Thread.sleep(sleep); // paces the producer only
                }
            }
        }
        return receivers;
    }

    /** What the mix must leave behind: stored keys per kind, rejections per channel. */
    private static final class Expected {
        final Map<Kind, Map<Integer, Adversarial>> stored = new TreeMap<>();
        final Map<String, Integer> rejectedPerChannel = new TreeMap<>();
        final int storedCount;

        Expected(HostileEvents events) {
            for (Kind k : Kind.values()) {
                stored.put(k, new TreeMap<>());
            }
            for (Adversarial a : events.adversarial()) {
                if (a.expect() == Expect.STORED) {
                    stored.get(a.kind()).put(a.n(), a);
                } else {
                    rejectedPerChannel.merge(a.channel(), 1, Integer::sum);
                }
            }
            storedCount = stored.values().stream().mapToInt(Map::size).sum();
        }

        int rejected() {
            return rejectedPerChannel.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Whether every message was accounted for in time; if not, where the monitor's ingest stood. */
    private record Accounting(boolean complete, long millis, String lastCounts, String stuck) {
    }

    /**
     * Waits (bounded) until every published message is accounted for: a row for each stored one, a rejected_events
     * row for each other (a valid event the database refused is one too, as "not storable").
     */
    private static Accounting awaitAccounted(HostileEvents events, Expected expected) throws InterruptedException {
        String run = events.run();
        long start = System.nanoTime();
        long deadline = start + ACCOUNTED_WITHIN.toNanos();
        String counts = "";
        while (System.nanoTime() < deadline) {
            Map<String, Object> c = SystemDatabase.query("SELECT "
                    + "(SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE '" + run + "-ok-%') AS plain, "
                    + "(SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE '" + run + "-adv-%') AS adversarial, "
                    + "(SELECT count(*) FROM monitor.executions WHERE execution_key LIKE '" + run + "-x-%' OR execution_key LIKE '"
                    + run + "-r-%') AS executions, "
                    + "(SELECT count(*) FROM monitor.rejected_events) AS rejected").get(0);
            long plain = ((Number) c.get("plain")).longValue();
            long total = plain + ((Number) c.get("adversarial")).longValue() + ((Number) c.get("executions")).longValue()
                    + ((Number) c.get("rejected")).longValue();
            counts = c + " of plain=" + HostileEvents.PLAIN + ", stored adversarial=" + expected.storedCount
                    + ", rejected=" + expected.rejected();
            if (plain >= HostileEvents.PLAIN && total >= HostileEvents.PLAIN + HostileEvents.ADVERSARIAL) {
                return new Accounting(true, millisSince(start), counts, "");
            }
            Thread.sleep(500); // polls the database
        }
        String stuck = "ingest buffer holds " + ingestBufferSize() + " messages; the writer thread is at:\n"
                + monitor.threadStack(WRITER_THREAD, 14);
        return new Accounting(false, millisSince(start), counts, stuck);
    }

    private static String ingestBufferSize() {
        try {
            for (var check : Http.json(monitor.managementUrl() + HealthWatch.READY).path("checks")) {
                if ("ingest-buffer".equals(check.path("name").asText())) {
                    return check.path("data").path("size").asText();
                }
            }
            return "(no ingest-buffer check)";
        } catch (AssertionError e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private record AlertCheck(long staleRowsAtPublish, boolean criticalStored, boolean raised, long millis, long staleAlerts) {
    }

    /**
     * With the stale untargeted jobs stored (stale at once: thresholds of 1 and 2 s, old timestamps), a plain critical
     * error must raise its critical_error alert: alert evaluation still runs.
     */
    private static AlertCheck checkAlertAfterStaleJob(String run, HostileEvents events) {
        long staleRows = SystemDatabase.count("SELECT count(*) FROM monitor.freshness WHERE job LIKE '" + events.staleJobPrefix()
                + "%' AND last_success_at < now() - interval '2 seconds'");
        String marker = "critical after a stale untargeted job, hostile suite " + run;
        String critical = "{\"error_id\":\"" + run + "-critical\",\"error_type\":\"HostileSuiteCritical\",\"error_message\":\""
                + marker + "\",\"severity\":\"critical\",\"category\":\"configuration\",\"context\":{\"component\":\"hostile-suite\","
                + "\"operation\":\"alert-check\"},\"timestamp\":\"" + Instant.now() + "\"}";
        try (Resp redis = Resp.local()) {
            redis.publish(ServiceInstance.ERRORS, critical);
        }
        long start = System.nanoTime();
        String raised = "SELECT count(*) FROM monitor.alerts WHERE rule = 'critical_error' AND message LIKE '%" + marker + "%'";
        boolean ok;
        try {
            await().atMost(ALERT_WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> SystemDatabase.count(raised) > 0);
            ok = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            ok = false;
        }
        long millis = millisSince(start);
        boolean stored = SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE error_id = '" + run + "-critical'") > 0;
        long staleAlerts = SystemDatabase.count("SELECT count(DISTINCT key) FROM monitor.alerts WHERE rule = 'job_stale' AND key LIKE 'job_stale:"
                + events.staleJobPrefix() + "%'");
        return new AlertCheck(staleRows, stored, ok, millis, staleAlerts);
    }

    private record Outcome(Baseline baseline, List<Long> receivers, long publishMillis, Accounting accounting, CpuUse cpu,
                           AlertCheck alert, HealthWatch watch, double heapAfterFullGc) {
    }

    /** CPU times at one instant: the monitor's process, its writer thread, every PostgreSQL process; the load average. */
    private record CpuSample(long atNanos, long monitorMillis, long monitorWaitMillis, long writerMillis, long postgresMillis,
                             double load) {
        static CpuSample take() {
            return new CpuSample(System.nanoTime(), monitor.cpuMillis(), monitor.runQueueWaitMillis(),
                    monitor.threadCpuMillis(WRITER_THREAD), postgresCpuMillis(), ServiceInstance.loadAverage());
        }

        CpuUse since(CpuSample before) {
            return new CpuUse(TimeUnit.NANOSECONDS.toMillis(atNanos - before.atNanos), monitorMillis - before.monitorMillis,
                    monitorWaitMillis - before.monitorWaitMillis, writerMillis - before.writerMillis,
                    postgresMillis - before.postgresMillis, before.load, load);
        }
    }

    /**
     * What the run cost, publish start to every message accounted for: whether the writer was busy (CPU-bound: the
     * product's cost per message) or starved and waiting (machine load, PostgreSQL).
     */
    private record CpuUse(long wallMillis, long monitorMillis, long monitorWaitMillis, long writerMillis, long postgresMillis,
                          double loadBefore, double loadAfter) {
        @Override
        public String toString() {
            return String.format("over %d ms: monitor CPU %d ms (%.0f %% of a core) and %d ms runnable waiting for a CPU, writer "
                            + "thread %d ms (%.0f %%), all PostgreSQL processes %d ms (%.0f %%); load average %.1f -> %.1f on %d cores",
                    wallMillis, monitorMillis, 100.0 * monitorMillis / wallMillis, monitorWaitMillis, writerMillis,
                    100.0 * writerMillis / wallMillis, postgresMillis, 100.0 * postgresMillis / wallMillis, loadBefore, loadAfter,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** CPU time of every process named postgres (the server and its backends, whoever they serve), in ms from /proc. */
    private static long postgresCpuMillis() {
        long ticks = 0;
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (var proc : (Iterable<java.nio.file.Path>) procs::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = java.nio.file.Files.readString(proc.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    if (stat.substring(open + 1, close).startsWith("postgres")) {
                        String[] f = stat.substring(close + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return ticks * 10;
    }

    /** Heap in use right after a forced full collection: what the monitor retains; -1 when it cannot be read. */
    private static double heapAfterFullGc() {
        monitor.jcmd("GC.run");
        try {
            return Http.metric(Http.get(monitor.managementUrl() + "/q/metrics").body(), "jvm_memory_used_bytes", "area=\"heap\"");
        } catch (AssertionError e) {
            return -1;
        }
    }

    /** What the monitor's tables hold after the run, compared with {@link Expected}. */
    private static final class Results {
        final Set<Integer> plainMissing = new HashSet<>();
        final Map<String, List<Adversarial>> missingByCategory = new TreeMap<>();
        final int missingAdversarial;
        final List<Double> latenciesMillis;
        final double p50;
        final double p99;
        final double max;
        final Map<String, Long> rejectedInvalid = new TreeMap<>();
        final Map<String, Long> rejectedNotStorable = new TreeMap<>();
        final String issueMessageStored;

        Results(HostileEvents events, Expected expected) {
            String run = events.run();
            Set<Integer> plainStored = numbers("SELECT error_id AS id FROM monitor.error_logs WHERE error_id LIKE '" + run + "-ok-%'",
                    run + "-ok-");
            for (int i = 0; i < HostileEvents.PLAIN; i++) {
                if (!plainStored.contains(i)) {
                    plainMissing.add(i);
                }
            }
            Map<Kind, Set<Integer>> stored = Map.of(
                    Kind.ERROR, numbers("SELECT error_id AS id FROM monitor.error_logs WHERE error_id LIKE '"
                            + events.keyPrefix(Kind.ERROR) + "%'", events.keyPrefix(Kind.ERROR)),
                    Kind.JOB, numbers("SELECT execution_key AS id FROM monitor.executions WHERE kind = 'job' AND execution_key LIKE '"
                            + events.keyPrefix(Kind.JOB) + "%'", events.keyPrefix(Kind.JOB)),
                    Kind.RUN, numbers("SELECT execution_key AS id FROM monitor.executions WHERE kind = 'run' AND execution_key LIKE '"
                            + events.keyPrefix(Kind.RUN) + "%'", events.keyPrefix(Kind.RUN)));
            int missing = 0;
            for (Kind k : Kind.values()) {
                for (Adversarial a : expected.stored.get(k).values()) {
                    if (!stored.get(k).contains(a.n())) {
                        missingByCategory.computeIfAbsent(a.category(), c -> new ArrayList<>()).add(a);
                        missing++;
                    }
                }
            }
            missingAdversarial = missing;

            latenciesMillis = HostileSuiteTest.latenciesMillis(run + "-ok-");
            // a plain error never stored took longer than the test waited: it counts as infinitely late
            p50 = percentile(latenciesMillis, 0.50, HostileEvents.PLAIN);
            p99 = percentile(latenciesMillis, 0.99, HostileEvents.PLAIN);
            max = plainMissing.isEmpty() && !latenciesMillis.isEmpty() ? latenciesMillis.get(latenciesMillis.size() - 1)
                    : Double.POSITIVE_INFINITY;

            for (Map<String, Object> r : SystemDatabase.query("SELECT channel, "
                    + "count(*) FILTER (WHERE reason NOT LIKE 'not storable%') AS invalid, "
                    + "count(*) FILTER (WHERE reason LIKE 'not storable%') AS unstorable FROM monitor.rejected_events GROUP BY channel")) {
                rejectedInvalid.put(String.valueOf(r.get("channel")), ((Number) r.get("invalid")).longValue());
                rejectedNotStorable.put(String.valueOf(r.get("channel")), ((Number) r.get("unstorable")).longValue());
            }
            List<Map<String, Object>> issue = SystemDatabase.query("SELECT error_message FROM monitor.error_logs WHERE error_id = '"
                    + events.key(Kind.ERROR, firstOf(expected, HostileEvents.ISSUE_CATEGORY)) + "'");
            issueMessageStored = issue.isEmpty() ? null : String.valueOf(issue.get(0).get("error_message"));
        }

        private static int firstOf(Expected expected, String category) {
            return expected.stored.get(Kind.ERROR).values().stream().filter(a -> a.category().equals(category))
                    .mapToInt(Adversarial::n).findFirst().orElseThrow();
        }

        /** The n of each id {@code prefix + n + (optional '~' + hostile suffix)}. */
        private static Set<Integer> numbers(String sql, String prefix) {
            Pattern number = Pattern.compile("^" + Pattern.quote(prefix) + "(\\d+)");
            Set<Integer> numbers = new HashSet<>();
            for (Map<String, Object> r : SystemDatabase.query(sql)) {
                Matcher m = number.matcher(String.valueOf(r.get("id")));
                if (m.find()) {
                    numbers.add(Integer.parseInt(m.group(1)));
                }
            }
            return numbers;
        }

    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void assertAll(HostileEvents events, Expected expected, Results results, Outcome outcome) {
        String run = events.run();
        HealthWatch watch = outcome.watch();
        SoftAssertions softly = new SoftAssertions();

        List<Long> receivers = outcome.receivers();
        softly.assertThat(receivers.stream().filter(n -> n != 1).count()).withFailMessage("%d of %d PUBLISHes did not reach exactly "
                        + "one subscriber (the monitor's subscription was lost?)", receivers.stream().filter(n -> n != 1).count(),
                receivers.size()).isZero();

        softly.assertThat(results.plainMissing.size()).withFailMessage(
                "%d of the %d plain valid errors were not stored within %d s of publishing (accounting: %s), e.g. %s%n%s",
                results.plainMissing.size(), HostileEvents.PLAIN, ACCOUNTED_WITHIN.toSeconds(), outcome.accounting().lastCounts(),
                results.plainMissing.stream().sorted().limit(SHOWN).map(events::plainId).toList(), outcome.accounting().stuck())
                .isZero();

        softly.assertThat(results.missingAdversarial).withFailMessage(
                "%d of the %d valid adversarial events were not stored; by category:%n%s", results.missingAdversarial,
                expected.storedCount, describeMissing(events, results.missingByCategory)).isZero();

        softly.assertThat(HostileEvents.ISSUE_MESSAGE.equals(results.issueMessageStored)).withFailMessage(
                "the issue's message (\"1a\"x2500+\"g\") is not stored verbatim: %s", results.issueMessageStored == null ? "no row"
                        : "a row with a message of " + results.issueMessageStored.length() + " chars").isTrue();

        for (Map.Entry<String, Integer> e : expected.rejectedPerChannel.entrySet()) {
            softly.assertThat(results.rejectedInvalid.getOrDefault(e.getKey(), 0L))
                    .as("invalid messages rejected on %s (rejected_events rows other than 'not storable')", e.getKey())
                    .isEqualTo(e.getValue().longValue());
        }
        softly.assertThat(results.rejectedNotStorable.values().stream().mapToLong(Long::longValue).sum())
                .as("valid events PostgreSQL refused ('not storable' rejections: %s)", results.rejectedNotStorable).isZero();

        softly.assertThat(results.p99).withFailMessage("publish-to-row p99 of the plain errors was %s ms (p50 %s ms, max %s ms, "
                + "%d not stored at all), limit %.0f ms; CPU %s.%nThe baseline before it: %s", fmt(results.p99), fmt(results.p50),
                fmt(results.max), results.plainMissing.size(), p99Limit(outcome.baseline()), outcome.cpu(), outcome.baseline())
                .isLessThan(p99Limit(outcome.baseline()));
        softly.assertThat(outcome.baseline().stored()).as("plain errors of the baseline stored (%s)", outcome.baseline())
                .isEqualTo(BASELINE);

        softly.assertThat(watch.failures()).withFailMessage("liveness/readiness not UP at %d of %d polls (every 200 ms over %d ms), "
                + "first ones:%n%s", watch.failures().size(), watch.polls(), watch.durationMillis(),
                watch.failures().stream().limit(SHOWN).map(String::valueOf).collect(Collectors.joining("\n"))).isEmpty();

        softly.assertThat(monitor.alive()).withFailMessage("the monitor died (with -Xmx%dm -XX:+ExitOnOutOfMemoryError):%n%s",
                ServiceInstance.HEAP_MIB, monitor.tail()).isTrue();
        softly.assertThat(monitor.logLines("OutOfMemoryError", SHOWN)).as("OutOfMemoryError in the monitor's log").isEmpty();
        softly.assertThat(watch.heapSamples()).as("heap samples from /q/metrics").isPositive();
        softly.assertThat(outcome.heapAfterFullGc()).withFailMessage("heap after a forced full GC at the end: %.0f MiB, limit "
                        + "%.0f MiB (3/4 of -Xmx%dm); heap in use peaked at %.0f MiB, old-generation live data at %.0f MiB",
                mib(outcome.heapAfterFullGc()), mib(LIVE_HEAP_LIMIT_BYTES), ServiceInstance.HEAP_MIB, mib(watch.peakHeapUsedBytes()),
                mib(watch.peakLiveDataBytes())).isBetween(0.0, LIVE_HEAP_LIMIT_BYTES);

        AlertCheck alert = outcome.alert();
        softly.assertThat(alert.raised()).withFailMessage("no critical_error alert %d ms after a critical error published with the "
                        + "stale untargeted jobs stored (stale freshness rows when it was published: %d; the critical error stored: %s); "
                        + "alert evaluation failures in the log: %s", alert.millis(), alert.staleRowsAtPublish(), alert.criticalStored(),
                monitor.logLines("Alert evaluation failed", 3)).isTrue();
        softly.assertThat(alert.staleAlerts()).as("job_stale alerts for the stale untargeted jobs (%s*)", events.staleJobPrefix())
                .isPositive();
        softly.assertThat(monitor.logLines("Alert evaluation failed", SHOWN)).as("alert evaluation failures in the monitor's log")
                .isEmpty();
        softly.assertThat(monitor.logLines("Ingest writer: unexpected failure", SHOWN)).as("ingest writer failures in the log")
                .isEmpty();
        softly.assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE '" + run + "-%'"))
                .as("no error row beyond the expected ones (ids of this run)")
                .isLessThanOrEqualTo(BASELINE + HostileEvents.PLAIN + expected.stored.get(Kind.ERROR).size() + 1L);
        softly.assertAll();
    }

    /** Per category: how many are missing, a few ids, and the rejection reason of the first ones when there is one. */
    private static String describeMissing(HostileEvents events, Map<String, List<Adversarial>> missing) {
        StringBuilder b = new StringBuilder();
        missing.forEach((category, list) -> {
            b.append("  ").append(category).append(": ").append(list.size()).append(" missing, e.g. ")
                    .append(list.stream().limit(3).map(a -> events.key(a.kind(), a.n())).toList());
            for (Adversarial a : list.subList(0, Math.min(2, list.size()))) {
                String key = events.key(a.kind(), a.n());
                List<Map<String, Object>> reason = SystemDatabase.query("SELECT reason FROM monitor.rejected_events WHERE payload LIKE '%"
                        + key + "\"%' OR payload LIKE '%" + key + "~%' LIMIT 1");
                b.append("\n      ").append(key).append(": ").append(reason.isEmpty() ? "no row, no rejection"
                        : "rejected: " + abbreviate(String.valueOf(reason.get(0).get("reason")), 200));
            }
            b.append('\n');
        });
        return b.toString();
    }

    private static String summary(String run, Expected expected, Results results, Outcome outcome, long totalMillis) {
        HealthWatch watch = outcome.watch();
        AlertCheck alert = outcome.alert();
        return String.format("HOSTILE run=%s seed=%d: published %d plain + %d adversarial (%d valid, %d invalid) in %d ms; "
                        + "accounted %s after %d ms; plain missing %d; valid adversarial missing %d %s; rejected invalid %s, "
                        + "not storable %s; publish-to-row p50 %s ms p99 %s ms max %s ms; health polls %d, not UP %d; heap in use peak "
                        + "%.0f MiB, old-gen live peak %.0f MiB, after a full GC at the end %.0f MiB; critical alert %s after %d ms "
                        + "(stale rows %d, critical stored %s), "
                        + "job_stale alerts %d; CPU %s; baseline: %s; total %d ms",
                run, SEED, HostileEvents.PLAIN, HostileEvents.ADVERSARIAL, expected.storedCount, expected.rejected(),
                outcome.publishMillis(), outcome.accounting().complete() ? "all" : "NOT all", outcome.accounting().millis(),
                results.plainMissing.size(), results.missingAdversarial,
                results.missingByCategory.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList(),
                results.rejectedInvalid, results.rejectedNotStorable, fmt(results.p50), fmt(results.p99), fmt(results.max),
                watch.polls(), watch.failures().size(), mib(watch.peakHeapUsedBytes()), mib(watch.peakLiveDataBytes()),
                mib(outcome.heapAfterFullGc()), alert.raised() ? "raised" : "NOT raised", alert.millis(), alert.staleRowsAtPublish(), alert.criticalStored(),
                alert.staleAlerts(), outcome.cpu(), outcome.baseline(), totalMillis);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static double mib(double bytes) {
        return bytes / 1024 / 1024;
    }

    private static String fmt(double millis) {
        return Double.isInfinite(millis) ? "inf" : String.format("%.0f", millis);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
