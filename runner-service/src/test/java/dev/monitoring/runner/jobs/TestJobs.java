package dev.monitoring.runner.jobs;

import dev.monitoring.model.Category;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Job definitions for tests: small shell scripts and fast demo jobs. */
public final class TestJobs {
    private TestJobs() {
    }

    public static JobDefinition shell(String name, String script, Duration timeout, int maxAttempts,
                                      String expectedOutput, String workingDir) {
        return new JobDefinition(name, new CommandSpec(List.of("sh", "-c", script), workingDir, Map.of()), null,
                List.of(), "* * * * * ?", timeout, maxAttempts, Duration.ofMillis(100), expectedOutput,
                Category.DATABASE, 60L, 300L, List.of());
    }

    /** A command run as it is, without a shell. */
    public static JobDefinition command(String name, List<String> argv, Duration timeout, int maxAttempts) {
        return new JobDefinition(name, new CommandSpec(argv, null, Map.of()), null, List.of(), "* * * * * ?", timeout,
                maxAttempts, Duration.ofMillis(100), null, Category.DATABASE, null, null, List.of());
    }

    public static JobDefinition demo(String name, Duration duration, double exceptionRate, List<Target> targets) {
        return new JobDefinition(name, null, new DemoSpec(duration, 10, exceptionRate, 0, 0, 0), targets,
                "* * * * * ?", Duration.ofSeconds(30), 1, Duration.ofMillis(50), null, Category.PATTERN,
                null, null, List.of());
    }
}
