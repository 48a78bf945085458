package dev.monitoring.runner.jobs;

import java.time.Duration;

/**
 * A built-in simulated workload so a fresh start shows live data: it works for about {@code duration}
 * and fails with the given probabilities (each 0..1, drawn once per attempt).
 */
public record DemoSpec(Duration duration, long records, double exceptionRate, double missingOutputRate,
                       double timeoutRate, double transientRate) {
}
