package dev.monitoring.monitor.ingest.store;

import dev.monitoring.model.ErrorContext;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text as PostgreSQL can store and index it, whatever an event carries: no NUL, no lone surrogate, identifiers cut to
 * what a btree index takes (and still unique), payloads cut to what rejected_events and dead_letters keep.
 */
public final class StoredText {
    private StoredText() {
    }

    /** rejected_events keeps at most this many bytes of a payload. */
    public static final int MAX_REJECTED_PAYLOAD_BYTES = 64 * 1024;

    /** Longest identifier stored as it is; a btree index entry must stay under about 2,700 bytes. */
    public static final int MAX_IDENTIFIER = 200;

    /**
     * Text PostgreSQL can hold: without NUL, and with each lone surrogate (valid JSON, not UTF-8) replaced by U+FFFD.
     * One scan; the common clean text is returned as it is.
     */
    public static String clean(String s) {
        if (s == null || !needsCleaning(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return b.toString();
    }

    public static boolean needsCleaning(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return true;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * An indexed identifier (error_id, execution key, job, symbol, timeframe): cleaned, and when longer than
     * {@link #MAX_IDENTIFIER} its head plus a hash of the whole, so it stays unique and the same for every copy of
     * the event, and fits the index. The full text stays in the event's context.
     */
    public static String id(String s) {
        String c = clean(s);
        if (c == null || c.length() <= MAX_IDENTIFIER) {
            return c;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(c.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return c.substring(0, MAX_IDENTIFIER - 34) + "~" + java.util.HexFormat.of().formatHex(digest, 0, 16) + "~";
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The context with NUL removed from every string, metadata included. */
    public static ErrorContext cleanContext(ErrorContext c) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) cleanValue(c.metadata());
        return new ErrorContext(clean(c.component()), clean(c.operation()), clean(c.symbol()), clean(c.timeframe()),
                metadata, c.timestamp());
    }

    private static Object cleanValue(Object value) {
        if (value instanceof String s) {
            return clean(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(clean(String.valueOf(k)), cleanValue(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(StoredText::cleanValue).toList();
        }
        return value;
    }

    public static String truncatePayload(String payload) {
        String raw = payload == null ? "" : payload;
        // at most as many chars as bytes are kept, so cut before cleaning a payload that may be a megabyte
        String p = clean(raw.length() <= MAX_REJECTED_PAYLOAD_BYTES ? raw : raw.substring(0, MAX_REJECTED_PAYLOAD_BYTES));
        if ((long) p.length() * 3 <= MAX_REJECTED_PAYLOAD_BYTES) {
            return p;
        }
        byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REJECTED_PAYLOAD_BYTES) {
            return p;
        }
        int end = MAX_REJECTED_PAYLOAD_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // do not cut a multi-byte character in half
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
