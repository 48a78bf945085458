package dev.monitoring.runner.jobs;

import java.util.List;
import java.util.Map;

/**
 * An external process: argv (no shell unless the argv asks for one), working directory, extra environment.
 * The variables {@code JOB_NAME}, {@code JOB_SYMBOL}, {@code JOB_TIMEFRAME} and {@code JOB_ATTEMPT} are added.
 */
public record CommandSpec(List<String> argv, String workingDir, Map<String, String> env) {
    public CommandSpec {
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
