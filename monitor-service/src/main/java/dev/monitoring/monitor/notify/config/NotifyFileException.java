package dev.monitoring.monitor.notify.config;

/**
 * A {@code NOTIFY_FILE} that cannot be used. The message names the file, the line and the reason, e.g.
 * {@code NOTIFY_FILE /etc/monitor/notify.yaml line 14: route 2 names receiver 'ops-slak', which is not defined
 * (defined: ops-webhook, ops-slack)}. It never quotes a value that came from a variable (it may be a secret).
 */
public class NotifyFileException extends RuntimeException {
    private final String source;
    private final int line;
    private final String reason;

    /** @param line 1-based; 0 when the problem is not at a line (the file cannot be read) */
    public NotifyFileException(String source, int line, String reason) {
        this(source, line, reason, null);
    }

    public NotifyFileException(String source, int line, String reason, Throwable cause) {
        super("NOTIFY_FILE " + source + (line > 0 ? " line " + line : "") + ": " + reason, cause, true, false);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** The file's path as configured (or the name the parser was given). */
    public String source() {
        return source;
    }

    /** 1-based line of the problem, 0 when it is not at a line. */
    public int line() {
        return line;
    }

    /** The reason alone, without file and line. */
    public String reason() {
        return reason;
    }
}
