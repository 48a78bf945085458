package dev.monitoring.model.grouping;

import dev.monitoring.model.ErrorEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Groups errors the way Sentry groups issues: same type, component, operation and message once
 * the parts that vary per occurrence (ids, numbers, hex, quoted values) are normalised.
 *
 * <p>Every message is attacker text, so normalisation is four hand-written passes, each linear in its input, over
 * at most {@link #MAX_INPUT} characters. The regular expressions they replace backtracked: 5 KB of "1a1a..1ag" held
 * the writer thread, and with it the ingest of every monitor, for minutes. The passes keep those expressions' exact
 * results (a test compares them on generated text), in their order:
 * <ol>
 *   <li>a UUID between word boundaries becomes {@code <id>};</li>
 *   <li>a quoted part ({@code '...'} or {@code "..."}) becomes {@code <str>};</li>
 *   <li>a whole word of hex digits holding a digit before a letter, or {@code 0x} and hex digits, becomes {@code <hex>};</li>
 *   <li>a number ({@code [-+]?digits} with {@code .,:}-separated digit groups) becomes {@code <n>}.</li>
 * </ol>
 */
public final class ErrorFingerprint {
    /** Characters of a message that take part in grouping; the rest of a longer message does not. */
    public static final int MAX_INPUT = 4096;
    private static final int MAX_PATTERN = 500;
    private static final int UUID_LENGTH = 36;

    private ErrorFingerprint() {
    }

    /** The message with its varying parts replaced by placeholders. */
    public static String normalise(String message) {
        if (message == null) {
            return "";
        }
        String m = message.length() <= MAX_INPUT ? message : message.substring(0, MAX_INPUT);
        m = replaceUuids(m);
        m = replaceQuoted(m);
        m = replaceHexWords(m);
        m = replaceNumbers(m);
        m = m.strip();
        return m.length() <= MAX_PATTERN ? m : m.substring(0, MAX_PATTERN);
    }

    public static String of(ErrorEvent e) {
        String key = String.join("\u001f", nz(e.errorType()), nz(e.context().component()),
                nz(e.context().operation()), normalise(e.errorMessage()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** 8-4-4-4-12 hex digits with a word boundary on both sides. */
    static String replaceUuids(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i + UUID_LENGTH <= n; i++) {
            if (isUuidAt(s, i) && boundaryBefore(s, i) && !(i + UUID_LENGTH < n && isWord(s.charAt(i + UUID_LENGTH)))) {
                out = append(out, s, copied, i).append("<id>");
                copied = i + UUID_LENGTH;
                i = copied - 1;
            }
        }
        return finish(out, s, copied);
    }

    /** The leftmost quote with a partner of the same kind, up to that partner; a quote without one stays as it is. */
    static String replaceQuoted(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        boolean singleUnpaired = false;
        boolean doubleUnpaired = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if ((c == '\'' && !singleUnpaired) || (c == '"' && !doubleUnpaired)) {
                int close = s.indexOf(c, i + 1);
                if (close < 0) {
                    // no partner after this one means none after any later one either: each kind is searched once
                    if (c == '\'') {
                        singleUnpaired = true;
                    } else {
                        doubleUnpaired = true;
                    }
                    continue;
                }
                out = append(out, s, copied, i).append("<str>");
                copied = close + 1;
                i = close;
            }
        }
        return finish(out, s, copied);
    }

    /** Whole words that are hex: {@code 0x} and hex digits, or hex digits with a digit somewhere before a letter a-f. */
    static String replaceHexWords(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            if (!isWord(s.charAt(i))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && isWord(s.charAt(end))) {
                end++;
            }
            if (isHexWord(s, i, end)) {
                out = append(out, s, copied, i).append("<hex>");
                copied = end;
            }
            i = end;
        }
        return finish(out, s, copied);
    }

    private static boolean isHexWord(String s, int from, int to) {
        if (to - from > 2 && s.charAt(from) == '0' && s.charAt(from + 1) == 'x' && allHex(s, from + 2, to)) {
            return true;
        }
        boolean digitSeen = false;
        boolean letterAfterDigit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digitSeen = true;
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                letterAfterDigit |= digitSeen;
            } else {
                return false;
            }
        }
        return letterAfterDigit;
    }

    private static boolean allHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isHex(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code [-+]?\d+([.,:]\d+)*}, leftmost and longest, as the regular expression matched it. */
    static String replaceNumbers(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int digits = (c == '-' || c == '+') && i + 1 < n && isDigit(s.charAt(i + 1)) ? i + 1 : isDigit(c) ? i : -1;
            if (digits < 0) {
                i++;
                continue;
            }
            int end = digits;
            while (end < n && isDigit(s.charAt(end))) {
                end++;
            }
            while (end + 1 < n && (s.charAt(end) == '.' || s.charAt(end) == ',' || s.charAt(end) == ':') && isDigit(s.charAt(end + 1))) {
                end += 2;
                while (end < n && isDigit(s.charAt(end))) {
                    end++;
                }
            }
            out = append(out, s, copied, i).append("<n>");
            copied = end;
            i = end;
        }
        return finish(out, s, copied);
    }

    private static boolean isUuidAt(String s, int i) {
        for (int k = 0; k < UUID_LENGTH; k++) {
            char c = s.charAt(i + k);
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean boundaryBefore(String s, int i) {
        return i == 0 || !isWord(s.charAt(i - 1));
    }

    /** A word character as {@code \b} sees one on JDK 17: a letter or digit of any script, or '_'. */
    private static boolean isWord(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static StringBuilder append(StringBuilder out, String s, int from, int to) {
        StringBuilder b = out == null ? new StringBuilder(s.length()) : out;
        return b.append(s, from, to);
    }

    private static String finish(StringBuilder out, String s, int copied) {
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
