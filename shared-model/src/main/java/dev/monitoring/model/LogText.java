package dev.monitoring.model;

/**
 * Event text made safe for one log line: every field of an event is attacker text, and a CR or LF in it would
 * forge log lines (in the console and in the rotating errors file alike). Control characters, line and paragraph
 * separators and bidirectional overrides are escaped, and the text is cut at a length, in one linear pass.
 */
public final class LogText {
    /** What a log line shows of one event field by default. */
    public static final int DEFAULT_MAX = 500;

    private LogText() {
    }

    public static String safe(String text) {
        return safe(text, DEFAULT_MAX);
    }

    public static String safe(String text, int max) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), max);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                if (b == null) {
                    b = new StringBuilder(n + 16).append(text, 0, i);
                }
                switch (c) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(String.format("\\u%04x", (int) c));
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        String out = b == null ? text.substring(0, n) : b.toString();
        return text.length() > max ? out + "...(" + (text.length() - max) + " more chars)" : out;
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
