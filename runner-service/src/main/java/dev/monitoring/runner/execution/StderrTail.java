package dev.monitoring.runner.execution;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The end of a process's stderr, bounded in lines and in characters: it becomes the error traceback and the text the
 * transient patterns search, so its size is what bounds both the error event and the regex work. Thread-safe: the
 * stderr drain adds, the attempt reads.
 */
final class StderrTail {
    private final int maxLines;
    private final int maxChars;
    private final Deque<String> lines = new ArrayDeque<>();
    private int chars; // characters of the kept lines, not counting the line breaks between them

    StderrTail(int maxLines, int maxChars) {
        this.maxLines = Math.max(0, maxLines);
        this.maxChars = Math.max(1, maxChars);
    }

    synchronized void add(String line) {
        // A single line longer than the whole tail keeps its start, where an error names itself.
        String kept = line.length() > maxChars ? line.substring(0, maxChars) : line;
        lines.addLast(kept);
        chars += kept.length();
        while (lines.size() > maxLines || (lines.size() > 1 && chars + lines.size() - 1 > maxChars)) {
            chars -= lines.removeFirst().length();
        }
    }

    /** The kept lines joined by {@code \n} (at most {@code maxChars} long), or null when there are none. */
    synchronized String text() {
        return lines.isEmpty() ? null : String.join("\n", lines);
    }
}
