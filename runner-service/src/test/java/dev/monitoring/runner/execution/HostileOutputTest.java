package dev.monitoring.runner.execution;

import dev.monitoring.model.Category;
import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.runner.events.AttemptOutcome;
import dev.monitoring.runner.jobs.CommandSpec;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.runs.RunCoordinator;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Job output is untrusted text: 50 MB on one line, a huge stderr, a number too long for a long, a NUL byte, control
 * characters, a transient pattern that backtracks. Each finishes promptly, with bounded memory (measured as the bytes
 * the reading thread allocated), and what the runner keeps is what it would keep of well-behaved output.
 */
@QuarkusTest
class HostileOutputTest {
    /** What reading 50 MB may allocate: the fixed buffers and the capped lines, far from the 50 MB themselves. */
    private static final long DRAIN_ALLOCATION_LIMIT = 8L * 1024 * 1024;
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** 50 MB of one character on one line, no newline; the sleep keeps the reading thread alive to be measured. */
    private static final String FIFTY_MB = "head -c 52428800 /dev/zero | tr '\\0' a";

    private final JobExecutor executor;
    private final JobCatalog catalog;
    private final RunCoordinator coordinator;

    HostileOutputTest(JobExecutor executor, JobCatalog catalog, RunCoordinator coordinator) {
        this.executor = executor;
        this.catalog = catalog;
        this.coordinator = coordinator;
    }

    @Test
    void fiftyMegabytesOnOneLineWithoutNewlineFinishPromptlyInBoundedMemory() throws Exception {
        JobDefinition job = job("one-huge-line", FIFTY_MB + "; sleep 1", List.of());

        Measured m = runMeasured(job, "stdout-one-huge-line");

        assertThat(m.result.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(m.result.last().recordsProcessed()).isNull();
        assertThat(m.took).isLessThan(PROMPTLY);
        assertThat(m.drainAllocatedBytes).isLessThan(DRAIN_ALLOCATION_LIMIT);
    }

    @Test
    void theRecordsLineIsStillRecognisedAroundAHugeLine() throws Exception {
        JobDefinition job = job("records-around", "echo records_processed=3; " + FIFTY_MB
                + "; echo; echo records_processed=7; " + FIFTY_MB + "; sleep 1", List.of());

        Measured m = runMeasured(job, "stdout-records-around");

        assertThat(m.result.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(m.result.last().recordsProcessed()).isEqualTo(7L);
        assertThat(m.took).isLessThan(PROMPTLY);
        assertThat(m.drainAllocatedBytes).isLessThan(DRAIN_ALLOCATION_LIMIT);
    }

    @Test
    void aHugeStderrIsClassifiedOnABoundedTail() throws Exception {
        JobDefinition job = job("huge-stderr", "{ " + FIFTY_MB + "; echo; echo 'curl: (7) Connection refused'; } >&2; "
                + "sleep 1; exit 1", List.of());

        Measured m = runMeasured(job, "stderr-huge-stderr");

        assertThat(m.result.status()).isEqualTo(ExecutionStatus.FAILED);
        AttemptOutcome last = m.result.last();
        assertThat(last.transientFailure()).isTrue();
        assertThat(last.message()).isEqualTo("exited with code 1: curl: (7) Connection refused");
        // the huge line cut at runner.output.max-line-chars, then the last line
        assertThat(last.traceback()).isEqualTo("a".repeat(4096) + "\ncurl: (7) Connection refused");
        assertThat(m.took).isLessThan(PROMPTLY);
        assertThat(m.drainAllocatedBytes).isLessThan(DRAIN_ALLOCATION_LIMIT);
    }

    @Test
    void aLongLastStderrLineIsAbbreviatedInTheMessage() {
        JobDefinition job = job("long-last-line", "printf 'KeyError: %0600d\\n' 0 >&2; exit 1", List.of());

        AttemptOutcome last = run(job).last();

        assertThat(last.message()).isEqualTo("exited with code 1: KeyError: " + "0".repeat(490) + "...");
        assertThat(last.traceback()).isEqualTo("KeyError: " + "0".repeat(600));
    }

    /** Before: the overflow killed the stdout reader, the job blocked on a full pipe and timed out. */
    @Test
    void aRecordsNumberTooLongForALongIsIgnoredAndReadingGoesOn() {
        JobDefinition job = job("overflow", "echo records_processed=5; echo records_processed=99999999999999999999; "
                + "head -c 1000000 /dev/zero | tr '\\0' y; echo; echo records_processed=6", List.of());

        ExecutionResult result = run(job);

        assertThat(result.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(result.last().recordsProcessed()).isEqualTo(6L);
    }

    @Test
    void aBacktrackingTransientPatternGivesUpInsteadOfHangingTheWorker() {
        // (x+x+)+y on a run of x without y is exponential: 5000 x would take longer than the universe has left.
        JobDefinition job = job("backtracking", "printf '%05000d\\n' 0 | tr 0 x >&2; exit 1", List.of("(x+x+)+y"));

        long start = System.nanoTime();
        ExecutionResult result = CompletableFuture.supplyAsync(() -> run(job))
                .completeOnTimeout(null, PROMPTLY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(result).as("finished within %s", PROMPTLY).isNotNull();
        assertThat(result.last().transientFailure()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    @Test
    void controlCharactersOfStderrNeverReachTheLogRaw() {
        JobDefinition job = job("forger", "printf 'KeyError: x\\033[2J\\342\\200\\250 12:00:00 INFO [forged] all good\\n' >&2;"
                + " exit 1", List.of());

        try (LogCapture log = new LogCapture("dev.monitoring.runner")) {
            run(job);
            String failed = log.lines().stream().filter(l -> l.contains("forger") && l.contains("failed"))
                    .findFirst().orElseThrow();
            assertThat(failed).contains("KeyError: x\\u001b[2J\\u2028 12:00:00 INFO [forged] all good");
            assertThat(log.lines()).allSatisfy(l -> assertThat(l.chars())
                    .noneMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029));
        }
    }

    /** Before: PostgreSQL refused the NUL in the error message and the execution stayed "running" for ever. */
    @Test
    void aNulInStderrIsStoredAsAReplacementCharacter() {
        coordinator.cancel();
        catalog.replace(List.of(job("nul", "printf 'ValueError: bad\\000byte\\n' >&2; exit 1", List.of())));

        String id = given().when().post("/api/runs?job=nul").then().statusCode(202).extract().path("batch_run_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.current().isEmpty());

        given()
                .when().get("/api/runs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("completed"))
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error_message", equalTo("exited with code 1: ValueError: bad\uFFFDbyte"));
    }

    private record Measured(ExecutionResult result, Duration took, long drainAllocatedBytes) {
    }

    /**
     * Runs the job and measures what its reading thread allocated while it ran; the job ends with a sleep, so the
     * thread is measured after it read everything and before it ends (a finished thread cannot be measured).
     */
    private Measured runMeasured(JobDefinition job, String drainThread) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong allocated = new AtomicLong(-1);
        long start = System.nanoTime();
        CompletableFuture<ExecutionResult> result = CompletableFuture.supplyAsync(() -> run(job));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(drainThread))
                    .forEach(t -> allocated.accumulateAndGet(threads.getThreadAllocatedBytes(t.getId()), Math::max));
            return result.isDone();
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(allocated.get()).as("the reading thread %s was measured", drainThread).isPositive();
        return new Measured(result.join(), took, allocated.get());
    }

    private ExecutionResult run(JobDefinition job) {
        return executor.execute(job, Target.NONE, "test-run", new ExecutionHandle(UUID.randomUUID().toString()), 0);
    }

    private static JobDefinition job(String name, String script, List<String> transientPatterns) {
        return new JobDefinition(name, new CommandSpec(List.of("sh", "-c", script), null, Map.of()), null, List.of(),
                "* * * * * ?", Duration.ofSeconds(60), 1, Duration.ofMillis(100), null, Category.DATABASE, null, null,
                transientPatterns);
    }
}
