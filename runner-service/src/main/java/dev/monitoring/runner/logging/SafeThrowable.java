package dev.monitoring.runner.logging;

import dev.monitoring.model.LogText;

/**
 * A throwable as the log may print it: the same class names, stack frames and causes (not the suppressed ones), but every
 * message made safe with {@link LogText}. An exception's message often carries external text (a database error quoting a value, a
 * parse error quoting job output), and a line break in it would forge log lines; the stack trace is worth keeping.
 * Use as {@code Log.errorf(SafeThrowable.of(e), "...")}.
 */
public final class SafeThrowable extends RuntimeException {
    /** Enough for any real chain; a cycle or a pathological nesting stops here. */
    private static final int MAX_CAUSES = 16;

    private final String originalClass;
    private final String safeMessage;

    private SafeThrowable(Throwable original, int depth) {
        super(null, original.getCause() == null || depth >= MAX_CAUSES ? null
                : new SafeThrowable(original.getCause(), depth + 1), false, true);
        this.originalClass = original.getClass().getName();
        this.safeMessage = original.getMessage() == null ? null : LogText.safe(original.getMessage());
        setStackTrace(original.getStackTrace());
    }

    public static Throwable of(Throwable original) {
        return original == null || original instanceof SafeThrowable ? original : new SafeThrowable(original, 0);
    }

    @Override
    public String getMessage() {
        return safeMessage;
    }

    /** The first line of the printed stack trace: the original class name and the safe message. */
    @Override
    public String toString() {
        return safeMessage == null ? originalClass : originalClass + ": " + safeMessage;
    }
}
