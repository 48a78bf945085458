package dev.monitoring.runner.execution;

import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No process of a job outlives its execution, however the job ends. Each job forks a sleeper that its own parent
 * does not wait for, and writes the sleeper's pid to a file; the sleeper must be gone once the executor returns.
 * The hard case is a sleeper whose parent already exited: it is re-parented and no longer anyone's descendant, so
 * only the job's own process group still finds it.
 */
@QuarkusTest
class LeftoverProcessesTest {
    private final JobExecutor executor;

    @TempDir
    Path dir;

    LeftoverProcessesTest(JobExecutor executor) {
        this.executor = executor;
    }

    @Test
    void aBackgroundChildOfAJobThatExitedZeroIsKilled() throws Exception {
        String sleeper = sleeper();
        JobDefinition job = TestJobs.shell("forks", sleeper + " & echo $! > sleeper.pid; echo records_processed=3",
                Duration.ofSeconds(30), 1, null, dir.toString());

        ExecutionResult result = run(job, new ExecutionHandle(UUID.randomUUID().toString()));

        assertThat(result.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(result.last().recordsProcessed()).isEqualTo(3L);
        assertThat(running(sleeperPid(), sleeper)).as("the sleeper left behind by the job").isFalse();
    }

    @Test
    void aJobPastItsTimeoutIsKilledWithAChildItsParentNoLongerOwns() throws Exception {
        String sleeper = sleeper();
        // The subshell forks the sleeper and exits at once: the sleeper is re-parented while the job goes on.
        JobDefinition job = TestJobs.shell("detaches", "( " + sleeper + " & echo $! > sleeper.pid ); sleep 60",
                Duration.ofSeconds(2), 1, null, dir.toString());

        ExecutionResult result = run(job, new ExecutionHandle(UUID.randomUUID().toString()));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.last().errorType()).isEqualTo("Timeout");
        assertThat(running(sleeperPid(), sleeper)).as("the job's re-parented sleeper").isFalse();
    }

    @Test
    void anExecutionStoppedByTheWatchdogIsKilledWithAChildItsParentNoLongerOwns() throws Exception {
        String sleeper = sleeper();
        JobDefinition job = TestJobs.shell("silent", "( " + sleeper + " & echo $! > sleeper.pid ); sleep 60",
                Duration.ofSeconds(60), 1, null, dir.toString());
        ExecutionHandle handle = new ExecutionHandle(UUID.randomUUID().toString());

        CompletableFuture<ExecutionResult> execution = CompletableFuture.supplyAsync(() -> run(job, handle));
        long pid = sleeperPid();
        assertThat(running(pid, sleeper)).as("the sleeper while the job runs").isTrue();
        // what RunWatchdog.check does to a silent execution
        handle.stop(new ExecutionHandle.StopReason("WatchdogTimeout", "timed out (no update for 3 seconds)", false));
        ExecutionResult result = execution.get(30, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.last().errorType()).isEqualTo("WatchdogTimeout");
        assertThat(running(pid, sleeper)).as("the job's re-parented sleeper").isFalse();
    }

    private ExecutionResult run(JobDefinition job, ExecutionHandle handle) {
        return executor.execute(job, Target.NONE, "test-run", handle, 0);
    }

    /** A sleep nobody else runs, so its command line identifies it (and a reused pid is never mistaken for it). */
    private static String sleeper() {
        return "sleep 300." + (100 + (int) (Math.random() * 900));
    }

    private long sleeperPid() {
        Path file = dir.resolve("sleeper.pid");
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> read(file), s -> s.matches("[0-9]+\n")).trim().transform(Long::parseLong);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Whether {@code pid} is a live process running {@code command}. A zombie has finished: it only waits for init to
     * collect its exit status (which init here does lazily), so it does not count.
     */
    static boolean running(long pid, String command) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
            return state != 'Z' && state != 'X' && cmdline.contains(command);
        } catch (IOException e) {
            return false; // no such process
        }
    }
}
