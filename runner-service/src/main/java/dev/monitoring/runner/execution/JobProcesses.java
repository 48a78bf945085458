package dev.monitoring.runner.execution;

import io.quarkus.logging.Log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every process of one command attempt: the command, what it forked, and what those forked. A command started in a
 * process group of its own ({@link ProcessLauncher}) keeps everything it forks in that group, including a background
 * child its parent left behind: once the parent exits such a child is re-parented and no longer anyone's descendant,
 * so only the group still finds it. A job that opens a session of its own (setsid, a daemon) leaves the group; what
 * is still in its process tree is killed all the same.
 */
final class JobProcesses {
    private static final Path PROC = Path.of("/proc");
    static final boolean HAS_PROC = Files.isReadable(PROC.resolve("self").resolve("stat"));
    /** How long a kill waits for the processes to be gone; a process stuck in the kernel may outlast SIGKILL a while. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final Process command;
    private final boolean ownGroup;

    JobProcesses(Process command, boolean ownGroup) {
        this.command = command;
        this.ownGroup = ownGroup;
    }

    Process command() {
        return command;
    }

    /**
     * Kills (SIGKILL) the command and every process of its group and tree, again until none is left, since a job
     * may fork while it is being killed; waits until they are gone or {@link #KILL_WAIT} has passed.
     *
     * @return how many processes besides the command itself were killed (those it left behind)
     */
    int kill() {
        Set<Long> killed = new HashSet<>();
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        boolean interrupted = false;
        List<ProcessHandle> alive = alive();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            for (ProcessHandle p : alive) {
                p.destroyForcibly();
                killed.add(p.pid());
            }
            try {
                Thread.sleep(10); // SIGKILL is delivered at once; the process is gone a moment later
            } catch (InterruptedException e) {
                // A run shutting its workers down interrupts them: finish the (bounded) kill first.
                interrupted = true;
            }
            alive = alive();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!alive.isEmpty()) {
            Log.warnf("%d process(es) of command %d still there %d s after SIGKILL: %s", alive.size(), command.pid(),
                    KILL_WAIT.toSeconds(), alive.stream().map(ProcessHandle::pid).toList());
        }
        killed.remove(command.pid());
        return killed.size();
    }

    private List<ProcessHandle> alive() {
        ProcessHandle root = command.toHandle();
        // The tree first: a command killed before its setsid ran is not yet its group's leader, nor are its children.
        Stream<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants());
        Stream<ProcessHandle> group = ownGroup ? groupMembers(command.pid()).stream() : Stream.empty();
        return Stream.concat(tree, group).distinct().filter(JobProcesses::running).toList();
    }

    /** A process that still runs: a zombie has finished, it only waits for its (new) parent to collect its status. */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        if (!HAS_PROC) {
            return true; // isAlive is all there is to know
        }
        String[] stat = stat(PROC.resolve(Long.toString(p.pid())));
        return stat != null && !stat[0].equals("Z") && !stat[0].equals("X");
    }

    /** The processes whose process group is {@code pgid}, read from /proc (where there is no /proc, none). */
    private static List<ProcessHandle> groupMembers(long pgid) {
        List<ProcessHandle> members = new ArrayList<>();
        String group = Long.toString(pgid);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path p : processes) {
                String[] stat = stat(p);
                if (stat != null && stat[2].equals(group)) {
                    ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(members::add);
                }
            }
        } catch (IOException e) {
            // no /proc: the tree is all there is
        }
        return members;
    }

    /**
     * The fields of {@code /proc/<pid>/stat} after the command name: state, ppid, pgrp, ...; null when the process is
     * gone. The name comes in parentheses and may hold spaces and parentheses itself, hence the last ')'.
     */
    private static String[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isNumber(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
