package dev.monitoring.runner.execution;

import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.jobs.CommandSpec;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One attempt of a command job as a real process. Blocking: call it from a worker thread, never from a
 * Vert.x I/O thread. Every output line counts as progress for the watchdog.
 */
@ApplicationScoped
public class CommandAttempt {
    /** The convention of the job file: a line {@code records_processed=N} on stdout; the last one wins. */
    static final Pattern RECORDS = Pattern.compile("^\\s*records_processed\\s*=\\s*(\\d+)\\s*$");

    private final FailureClassifier classifier;
    private final int tailLines;

    public CommandAttempt(FailureClassifier classifier, RunnerConfig config) {
        this.classifier = classifier;
        this.tailLines = config.failures().stderrTailLines();
    }

    public AttemptOutcome run(JobDefinition job, Target target, int attempt, ExecutionHandle handle) {
        CommandSpec command = job.command();
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        if (command.workingDir() != null) {
            builder.directory(new File(command.workingDir()));
        }
        builder.environment().putAll(command.env());
        builder.environment().put("JOB_NAME", job.name());
        builder.environment().put("JOB_ATTEMPT", Integer.toString(attempt));
        if (target.symbol() != null) {
            builder.environment().put("JOB_SYMBOL", target.symbol());
        }
        if (target.timeframe() != null) {
            builder.environment().put("JOB_TIMEFRAME", target.timeframe());
        }
        Instant start = Instant.now();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return AttemptOutcome.failed("CommandNotStarted", "cannot start " + command.argv().get(0) + ": " + e.getMessage(),
                    null, null, null, false);
        }
        handle.attach(process);
        AtomicLong records = new AtomicLong(-1);
        Deque<String> stderrTail = new ArrayDeque<>();
        Thread out = drain(process.getInputStream(), "stdout-" + job.name(), line -> {
            handle.touch();
            Matcher m = RECORDS.matcher(line);
            if (m.matches()) {
                records.set(Long.parseLong(m.group(1)));
            }
        });
        Thread err = drain(process.getErrorStream(), "stderr-" + job.name(), line -> {
            handle.touch();
            synchronized (stderrTail) {
                stderrTail.addLast(line);
                if (stderrTail.size() > tailLines) {
                    stderrTail.removeFirst();
                }
            }
        });
        boolean exited;
        try {
            exited = process.waitFor(job.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            ProcessTree.kill(process.toHandle());
        } else {
            // The script is done; a background child it left behind must not outlive it either.
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        }
        join(out);
        join(err);
        handle.detach();
        Long recordCount = records.get() < 0 ? null : records.get();
        String traceback;
        synchronized (stderrTail) {
            traceback = stderrTail.isEmpty() ? null : String.join("\n", stderrTail);
        }
        if (handle.isStopped()) {
            return AttemptOutcome.stopped(handle.stopReason(), exited ? process.exitValue() : null, traceback, recordCount);
        }
        if (!exited) {
            return AttemptOutcome.failed("Timeout", "timed out after " + seconds(job) + " s: process tree killed",
                    traceback, null, recordCount, true);
        }
        int exitCode = process.exitValue();
        if (exitCode != 0) {
            String lastLine = traceback == null ? "" : ": " + traceback.substring(traceback.lastIndexOf('\n') + 1);
            return AttemptOutcome.failed("NonZeroExit", "exited with code " + exitCode + lastLine, traceback, exitCode,
                    recordCount, classifier.isTransient(exitCode, traceback, job.transientPatterns()));
        }
        if (job.expectedOutput() != null
                && !ExpectedOutput.producedSince(job.expectedOutput(), job.command().workingDir(), start)) {
            return AttemptOutcome.failed("NoOutputProduced", "no output produced (expected " + job.expectedOutput() + ")",
                    traceback, exitCode, recordCount, false);
        }
        return AttemptOutcome.succeeded(recordCount, exitCode);
    }

    private static String seconds(JobDefinition job) {
        return job.timeout().toMillis() % 1000 == 0 ? Long.toString(job.timeout().toSeconds())
                : String.format(java.util.Locale.ROOT, "%.1f", job.timeout().toMillis() / 1000.0);
    }

    private static Thread drain(InputStream stream, String name, Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException ignored) {
                // the process was killed: its pipes close under us
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
