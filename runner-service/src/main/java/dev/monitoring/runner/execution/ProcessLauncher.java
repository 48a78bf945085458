package dev.monitoring.runner.execution;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts job commands, each in a process group of its own: through {@code setsid --wait}, which makes the command
 * the leader of a new session and group before it runs it (the same process: it only forks, and then waits, if it
 * has to). Whatever the job forks stays in that group, so {@link JobProcesses} finds all of it at the end of the
 * attempt. Checked once at start-up: without a working setsid and /proc (not Linux, an image without util-linux)
 * commands run in the runner's own group and only their live process tree can be killed, which is logged.
 */
@Startup
@ApplicationScoped
public class ProcessLauncher {
    private final List<String> ownGroup;

    public ProcessLauncher() {
        this.ownGroup = ownGroupPrefix();
    }

    /**
     * Starts the builder's command.
     *
     * @throws IOException when it cannot start, worded as the JDK words it ("Cannot run program ...")
     */
    JobProcesses start(ProcessBuilder builder) throws IOException {
        if (ownGroup.isEmpty()) {
            return new JobProcesses(builder.start(), false);
        }
        List<String> argv = builder.command();
        // setsid would start, fail to run the program and exit 127; a job that cannot start must say so instead.
        checkExecutable(argv.get(0), builder);
        List<String> command = new ArrayList<>(ownGroup);
        command.addAll(argv);
        builder.command(command);
        return new JobProcesses(builder.start(), true);
    }

    /** Fails as execvp would fail for {@code program}: searched on the command's PATH unless it names a path. */
    private static void checkExecutable(String program, ProcessBuilder builder) throws IOException {
        Path dir = builder.directory() == null ? Path.of("") : builder.directory().toPath();
        List<Path> candidates = new ArrayList<>();
        if (program.contains("/")) {
            candidates.add(dir.resolve(program));
        } else {
            for (String entry : builder.environment().getOrDefault("PATH", "/usr/bin:/bin").split(":", -1)) {
                candidates.add(dir.resolve(entry).resolve(program)); // an empty entry is the working directory
            }
        }
        boolean found = false;
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return;
                }
                found = true;
            }
        }
        String where = builder.directory() == null ? "" : " (in directory \"" + builder.directory() + "\")";
        throw new IOException("Cannot run program \"" + program + "\"" + where + ": "
                + (found ? "error=13, Permission denied" : "error=2, No such file or directory"));
    }

    private static List<String> ownGroupPrefix() {
        String setsid = onPath("setsid");
        if (setsid == null || !JobProcesses.HAS_PROC) {
            return degraded(setsid == null ? "no setsid on the PATH" : "no /proc");
        }
        List<String> prefix = List.of(setsid, "--wait");
        List<String> probe = new ArrayList<>(prefix);
        probe.add("true");
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                Log.debugf("Job commands run in process groups of their own (%s --wait)", setsid);
                return prefix;
            }
            p.destroyForcibly();
            return degraded(setsid + " --wait true did not exit 0");
        } catch (IOException e) {
            return degraded(setsid + " --wait: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return degraded("interrupted while trying " + setsid);
        }
    }

    private static List<String> degraded(String why) {
        Log.warnf("Job commands run in the runner's process group (%s): a background process a job leaves behind "
                + "once its parent exited cannot be found, and outlives the job", why);
        return List.of();
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        return null;
    }
}
