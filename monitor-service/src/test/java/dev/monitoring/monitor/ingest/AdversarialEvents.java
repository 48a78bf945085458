package dev.monitoring.monitor.ingest;

import dev.monitoring.model.EventCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Error payloads built to hit the worst cases of every text transformation (grouping, codec, log lines, cleaning),
 * from a fixed seed so a failure can be replayed: long alternations of hex, digit and letter runs, UUID near-misses,
 * unbalanced quotes, separator runs, combining marks, bidirectional overrides, emoji, escaped lone surrogates, control
 * characters, and payloads up to the 64 KiB limit; each in a random text field or context key.
 */
final class AdversarialEvents {
    private static final String[] FIELDS = {"error_type", "error_message", "error_traceback", "component", "operation", "symbol",
            "timeframe", "metadata value", "metadata key", "context key"};

    private final Random random;

    AdversarialEvents(long seed) {
        this.random = new Random(seed);
    }

    /** One hostile text of at most {@code max} characters (JSON-escaped as needed). */
    String text(int max) {
        int n = 1 + random.nextInt(max);
        List<IntFunction<String>> shapes = List.of(
                k -> "1a".repeat(k / 2) + "g",
                k -> "0x" + "9f".repeat(k / 2) + "_",
                k -> "deadbeef1".repeat(k / 9 + 1) + "z",
                k -> "1.2,3:4".repeat(k / 7 + 1) + ".",
                k -> "-1.".repeat(k / 3 + 1) + "x",
                k -> "7f3a9c21-0b4e-4d5f-9a6b-".repeat(k / 24 + 1) + "z",
                k -> "'".repeat(k / 2) + "\\\"".repeat(k / 4),
                k -> "'a\\\"b".repeat(k / 6 + 1),
                k -> "a1b2c3d4e5f6".repeat(k / 12 + 1),
                k -> " \\t-+.,:".repeat(k / 8 + 1),
                k -> "e\u0301\u0302\u0303".repeat(k / 4 + 1),
                k -> "\u202e\u2066abc\u2069\u202c".repeat(k / 7 + 1),
                k -> "😀🔥".repeat(k / 4 + 1),
                k -> "\\ud800x\\udfff".repeat(k / 13 + 1),
                k -> "line\\r\\nFATAL forged\\u0000\\u001b[2J".repeat(k / 36 + 1));
        String s = shapes.get(random.nextInt(shapes.size())).apply(n);
        return s.length() <= max ? s : cutBeforeEscape(s, max);
    }

    /** A valid error event (it must be stored) with one hostile text, up to the 64 KiB limit in all. */
    String validError(String errorId) {
        String field = FIELDS[random.nextInt(FIELDS.length)];
        int max = random.nextInt(4) == 0 ? EventCodec.MAX_PAYLOAD_BYTES / 4 - 400 : 5_000;
        String hostile = text(max);
        String type = field.equals("error_type") ? hostile : "AdversarialError";
        String message = field.equals("error_message") ? hostile : "adversarial " + errorId;
        String json = "{\"error_id\":\"" + errorId + "\",\"severity\":\"error\",\"error_type\":\"" + type + "\",\"error_message\":\""
                + message + "\"" + (field.equals("error_traceback") ? ",\"error_traceback\":\"" + hostile + "\"" : "")
                + ",\"context\":{" + context(field, hostile) + "}}";
        if (json.getBytes(StandardCharsets.UTF_8).length > EventCodec.MAX_PAYLOAD_BYTES) {
            throw new IllegalStateException("generated a payload over the limit: " + json.length());
        }
        return json;
    }

    private static String context(String field, String hostile) {
        return switch (field) {
            case "component", "operation", "symbol", "timeframe" -> "\"" + field + "\":\"" + hostile + "\"";
            case "metadata value" -> "\"metadata\":{\"note\":\"" + hostile + "\"}";
            case "metadata key" -> "\"metadata\":{\"" + hostile + "\":1}";
            case "context key" -> "\"" + hostile + "\":\"x\"";
            default -> "\"component\":\"adversary\"";
        };
    }

    /** Hostile events the codec must refuse with a reason: not JSON, too deep, too large, wrong types. */
    String invalid() {
        return switch (random.nextInt(5)) {
            case 0 -> "{\"severity\":\"error\",\"error_message\":\"" + "1a".repeat(33_000) + "\"}"; // over 64 KiB
            case 1 -> "[".repeat(10_000) + "]".repeat(10_000);
            case 2 -> "{\"severity\":" + "1a".repeat(2_500) + "g}";
            case 3 -> "{\"severity\":\"error\",\"error_message\":{\"nested\":\"" + text(2_000) + "\"}}";
            default -> "\u0000\r\n" + text(3_000);
        };
    }

    /** A plain event like those real producers send, for the comparison. */
    static String normal(String errorId, int n) {
        return "{\"error_id\":\"" + errorId + "\",\"error_type\":\"PatternDetectionError\",\"error_message\":\"Pattern detection failed "
                + "for Doji: Insufficient data (" + n + " bars, need 20) at 0x7f3a" + n + "\",\"severity\":\"error\",\"category\":\"pattern\","
                + "\"context\":{\"component\":\"PatternDetector\",\"operation\":\"detect_doji\",\"symbol\":\"AAPL\",\"timeframe\":\"daily\","
                + "\"metadata\":{\"attempt\":" + n % 3 + "}},\"timestamp\":\"2024-01-01T12:00:00\"}";
    }

    /** Many payloads: valid hostile ones and invalid ones, in the proportion given. */
    List<String> corpus(int count, String idPrefix, double invalidShare) {
        List<String> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(random.nextDouble() < invalidShare ? invalid() : validError(idPrefix + i));
        }
        return all;
    }

    /** Cuts without leaving half of a JSON escape at the end. */
    private static String cutBeforeEscape(String s, int max) {
        int end = max;
        int backslash = s.lastIndexOf('\\', end - 1);
        if (backslash >= 0 && backslash >= end - 6) {
            end = backslash;
        }
        return s.substring(0, end);
    }
}
