package dev.monitoring.runner.execution;

import dev.monitoring.model.LogText;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.events.AttemptOutcome;
import dev.monitoring.runner.jobs.CommandSpec;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One attempt of a command job as a real process. Blocking: call it from a worker thread, never from a
 * Vert.x I/O thread. Every output line counts as progress for the watchdog. Output is untrusted text: lines are cut at
 * {@code runner.output.max-line-chars} as they are read and stderr is kept as a bounded tail, so neither memory nor
 * any regex ever sees more than those bounds. The command runs in a process group of its own ({@link ProcessLauncher});
 * when the attempt ends, however it ends, every process of it is killed ({@link JobProcesses}).
 */
@ApplicationScoped
public class CommandAttempt {
    /**
     * The convention of the job file: a line {@code records_processed=N} on stdout; the last one wins. At most 18
     * digits, which always fit a long: a longer number is not a records line (rather than an overflow).
     */
    static final Pattern RECORDS = Pattern.compile("^\\s*records_processed\\s*=\\s*(\\d{1,18})\\s*$");
    /** What the failure message shows of the last stderr line; the whole tail is the traceback. */
    static final int MESSAGE_LINE_MAX = 500;

    private final FailureClassifier classifier;
    private final ProcessLauncher launcher;
    private final int tailLines;
    private final int tailMaxChars;
    private final int maxLineChars;

    public CommandAttempt(FailureClassifier classifier, ProcessLauncher launcher, RunnerConfig config) {
        this.classifier = classifier;
        this.launcher = launcher;
        this.tailLines = config.failures().stderrTailLines();
        this.tailMaxChars = config.failures().stderrTailMaxChars();
        this.maxLineChars = config.output().maxLineChars();
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
        JobProcesses processes;
        try {
            processes = launcher.start(builder);
        } catch (IOException e) {
            return AttemptOutcome.failed("CommandNotStarted", "cannot start " + command.argv().get(0) + ": " + e.getMessage(),
                    null, null, null, false);
        }
        handle.attach(processes);
        Process process = processes.command();
        AtomicLong records = new AtomicLong(-1);
        StderrTail stderrTail = new StderrTail(tailLines, tailMaxChars);
        Thread out = drain(process.getInputStream(), "stdout-" + job.name(), (line, cut) -> {
            handle.touch();
            if (!cut) {
                Matcher m = RECORDS.matcher(line);
                if (m.matches()) {
                    records.set(Long.parseLong(m.group(1)));
                }
            }
        });
        Thread err = drain(process.getErrorStream(), "stderr-" + job.name(), (line, cut) -> {
            handle.touch();
            stderrTail.add(line);
        });
        boolean exited;
        try {
            exited = process.waitFor(job.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        // Timed out: the whole job goes. Exited: a background process it left behind must not outlive it either.
        int leftBehind = processes.kill();
        if (exited && leftBehind > 0 && !handle.isStopped()) {
            Log.warnf("%s left %d process(es) running after it exited: killed", LogText.safe(job.name()), leftBehind);
        }
        join(out);
        join(err);
        handle.detach();
        Long recordCount = records.get() < 0 ? null : records.get();
        String traceback = stderrTail.text();
        if (handle.isStopped()) {
            return handle.stopReason().outcome(exited ? process.exitValue() : null, traceback, recordCount);
        }
        if (!exited) {
            return AttemptOutcome.failed("Timeout", "timed out after " + seconds(job) + " s: process tree killed",
                    traceback, null, recordCount, true);
        }
        int exitCode = process.exitValue();
        if (exitCode != 0) {
            String lastLine = traceback == null ? "" : ": " + abbreviate(traceback.substring(traceback.lastIndexOf('\n') + 1));
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

    private static String abbreviate(String line) {
        if (line.length() <= MESSAGE_LINE_MAX) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(MESSAGE_LINE_MAX - 1)) ? MESSAGE_LINE_MAX - 1 : MESSAGE_LINE_MAX;
        return line.substring(0, end) + "...";
    }

    private Thread drain(InputStream stream, String name, OutputLines.LineConsumer onLine) {
        Thread t = new Thread(() -> {
            try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                OutputLines.read(reader, maxLineChars, (line, cut) -> {
                    try {
                        onLine.accept(line, cut);
                    } catch (RuntimeException e) {
                        // A drain must keep reading whatever happens to one line: a job writing into a full pipe blocks.
                        Log.warnf("Output line of %s not handled: %s", LogText.safe(name), LogText.safe(e.toString()));
                    }
                });
            } catch (IOException ignored) {
                // the process was killed: its pipes close under us
            }
        }, LogText.safe(name, 100));
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
