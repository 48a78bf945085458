package dev.monitoring.runner.execution;

import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes through the executor: exit codes, stderr tracebacks, retries, timeouts, expected output. */
@QuarkusTest
class CommandExecutionTest {
    private final JobExecutor executor;

    @TempDir
    Path dir;

    CommandExecutionTest(JobExecutor executor) {
        this.executor = executor;
    }

    @Test
    void exitZeroWithItsOutputSucceedsAndReportsRecords() {
        JobDefinition job = TestJobs.shell("ok", "echo working; echo records_processed=42; echo a > out.csv",
                Duration.ofSeconds(10), 3, "*.csv", dir.toString());

        ExecutionResult result = run(job);

        assertThat(result.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.last().recordsProcessed()).isEqualTo(42L);
        assertThat(result.last().exitCode()).isZero();
    }

    @Test
    void exitOneFailsWithStderrAsTracebackAndIsNotRetried() {
        JobDefinition job = TestJobs.shell("broken", "echo 'Traceback (most recent call last):' >&2; "
                + "echo '  File \"job.py\", line 3' >&2; echo 'KeyError: close' >&2; exit 1",
                Duration.ofSeconds(10), 3, null, dir.toString());

        ExecutionResult result = run(job);

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.last().exitCode()).isEqualTo(1);
        assertThat(result.last().transientFailure()).isFalse();
        assertThat(result.last().message()).isEqualTo("exited with code 1: KeyError: close");
        assertThat(result.last().traceback())
                .isEqualTo("Traceback (most recent call last):\n  File \"job.py\", line 3\nKeyError: close");
    }

    @Test
    void exit75IsRetriedWithBackoffAndSucceedsOnTheSecondAttempt() {
        JobDefinition job = TestJobs.shell("flaky",
                "if [ -f tried ]; then echo records_processed=7; exit 0; fi; touch tried; echo 'try later' >&2; exit 75",
                Duration.ofSeconds(10), 3, null, dir.toString());

        long start = System.nanoTime();
        ExecutionResult result = run(job);

        assertThat(result.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.last().recordsProcessed()).isEqualTo(7L);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(job.backoffBefore(2));
    }

    @Test
    void connectionRefusedInStderrIsTransientButRunsOutOfAttempts() {
        JobDefinition job = TestJobs.shell("offline", "echo 'curl: (7) Failed to connect: Connection refused' >&2; exit 7",
                Duration.ofSeconds(10), 3, null, dir.toString());

        ExecutionResult result = run(job);

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.last().transientFailure()).isTrue();
    }

    @Test
    void aProcessPastItsTimeoutIsKilledWithItsChildren() {
        String marker = "37." + (int) (Math.random() * 1000);
        JobDefinition job = TestJobs.shell("slow", "sleep " + marker + " & sleep " + marker + "; echo done",
                Duration.ofMillis(800), 1, null, dir.toString());

        ExecutionResult result = run(job);

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.last().errorType()).isEqualTo("Timeout");
        assertThat(result.last().message()).contains("timed out after 0.8 s");
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))
                .filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    @Test
    void exitZeroWithoutTheExpectedOutputFails() {
        JobDefinition job = TestJobs.shell("lazy", "echo nothing to write", Duration.ofSeconds(10), 3,
                "reports/*.csv", dir.toString());

        ExecutionResult result = run(job);

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.last().message()).startsWith("no output produced");
    }

    @Test
    void anOldOutputFileDoesNotCount() throws Exception {
        Path old = dir.resolve("old.csv");
        java.nio.file.Files.writeString(old, "x");
        java.nio.file.Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(0));
        JobDefinition job = TestJobs.shell("stale", "true", Duration.ofSeconds(10), 1, old.toString(), dir.toString());

        assertThat(run(job).last().message()).startsWith("no output produced");
    }

    private ExecutionResult run(JobDefinition job) {
        return executor.execute(job, Target.NONE, "test-run", new ExecutionHandle(UUID.randomUUID().toString()), 0);
    }
}
