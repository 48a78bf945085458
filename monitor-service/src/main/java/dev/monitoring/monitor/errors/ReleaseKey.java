package dev.monitoring.monitor.errors;

import dev.monitoring.model.ErrorEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A release as PostgreSQL orders it: "v1.4.10-rc1" is {1,4,10}, which sorts after {1,4,2} as an int[] does. Read by a
 * scanner (no regular expression on event text), at most {@link #MAX_PARTS} numbers of at most 9 digits.
 */
public final class ReleaseKey {
    static final int MAX_PARTS = 8;
    static final int MAX_CHARS = 64;

    private ReleaseKey() {
    }

    /** The release of an error: {@code context.metadata.release}, or null. */
    public static String of(ErrorEvent e) {
        Object release = e.context().metadata().get("release");
        return release instanceof String s && !s.isBlank() ? s : release instanceof Number n ? n.toString() : null;
    }

    /** The numbers leading the release ({1,4,10}); null when it starts with none. */
    public static int[] key(String release) {
        if (release == null) {
            return null;
        }
        String r = release.length() <= MAX_CHARS ? release.strip() : release.substring(0, MAX_CHARS).strip();
        int i = r.startsWith("v") || r.startsWith("V") ? 1 : 0;
        List<Integer> parts = new ArrayList<>();
        while (i < r.length() && parts.size() < MAX_PARTS) {
            int start = i;
            while (i < r.length() && Character.isDigit(r.charAt(i)) && r.charAt(i) < 128 && i - start < 9) {
                i++;
            }
            if (i == start) {
                break;
            }
            parts.add(Integer.parseInt(r, start, i, 10));
            if (i < r.length() && r.charAt(i) == '.') {
                i++;
            } else {
                break;
            }
        }
        return parts.isEmpty() ? null : parts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A key as a PostgreSQL int[] literal ("{1,4,10}"), or null. */
    public static String literal(int[] key) {
        if (key == null) {
            return null;
        }
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < key.length; i++) {
            s.append(i == 0 ? "" : ",").append(key[i]);
        }
        return s.append('}').toString();
    }

    /** The later of two keys (null when both are). */
    public static int[] later(int[] a, int[] b) {
        if (a == null) {
            return b;
        }
        return b == null || java.util.Arrays.compare(a, b) >= 0 ? a : b;
    }
}
