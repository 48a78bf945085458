package dev.monitoring.runner.execution;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills a process with all of its descendants, so a timed-out script leaves nothing behind. */
final class ProcessTree {
    private ProcessTree() {
    }

    static void kill(ProcessHandle root) {
        // Snapshot first: once the parent dies its children are re-parented and no longer its descendants.
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : descendants) {
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort: the process is gone or will be shortly
            }
        }
    }
}
