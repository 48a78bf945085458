package dev.monitoring.monitor.errors;

import dev.monitoring.model.ErrorEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Groups errors the way Sentry groups issues: same type, component, operation and message once
 * the parts that vary per occurrence (ids, numbers, hex, quoted values) are normalised.
 */
public final class ErrorFingerprint {
    private static final Pattern UUID = Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern HEX = Pattern.compile("\\b(0x)?[0-9a-fA-F]*[0-9][0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\\b|\\b0x[0-9a-fA-F]+\\b");
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+([.,:]\\d+)*");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final int MAX_PATTERN = 500;

    private ErrorFingerprint() {
    }

    /** The message with its varying parts replaced by placeholders. */
    public static String normalise(String message) {
        if (message == null) {
            return "";
        }
        String m = UUID.matcher(message).replaceAll("<id>");
        m = QUOTED.matcher(m).replaceAll("<str>");
        m = HEX.matcher(m).replaceAll("<hex>");
        m = NUMBER.matcher(m).replaceAll("<n>");
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

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
