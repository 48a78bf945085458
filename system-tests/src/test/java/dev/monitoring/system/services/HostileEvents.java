package dev.monitoring.system.services;

import dev.monitoring.model.EventCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The hostile suite's traffic, generated from a fixed seed: {@value #ADVERSARIAL} adversarial messages shuffled among
 * {@value #PLAIN} plain valid errors. Every text field is attacker text: hex-like runs that make a backtracking regex
 * explode (the issue's {@code "1a"×2500+"g"} among them), quotes, separator runs, unicode (combining marks, bidi
 * overrides, emoji, lone surrogates escaped as {@code \ud800}), control characters (NUL, CR/LF, ANSI escapes), payloads
 * at and above the 64 KiB limit, deep nesting, wrong types, text that is not JSON, huge context keys and metadata;
 * plus the issue's stale untargeted job on the executions channel.
 *
 * <p>Each adversarial message says what the monitor must do with it: {@link Expect#STORED} (a valid event: a row
 * keyed by its error_id, execution_id or batch_run_id) or {@link Expect#REJECTED} (invalid: a rejected_events row).
 * The expectation comes from how the message was built; {@link #disagreementsWithCodec()} checks it against the
 * shared codec before anything is published. JSON is written here by hand, so that escapes, lone surrogates and broken
 * syntax are exactly what was intended.
 */
final class HostileEvents {
    static final int ADVERSARIAL = 10_000;
    static final int PLAIN = 10_000;
    /** The issue's message: 5 KB of hex-like text that a backtracking hex regex needs minutes for. */
    static final String ISSUE_MESSAGE = "1a".repeat(2500) + "g";
    static final String ISSUE_CATEGORY = "issue-hex-run";
    static final String STALE_JOB_CATEGORY = "stale-untargeted-job";
    private static final int LIMIT = EventCodec.MAX_PAYLOAD_BYTES;
    private static final int DEPTH_LIMIT = EventCodec.MAX_NESTING_DEPTH;
    /** Jobs the stale untargeted executions report on; each becomes one stale freshness row. */
    private static final int STALE_JOBS = 8;

    enum Expect { STORED, REJECTED }

    /** Where a stored adversarial event lands: error_logs by error_id, executions by execution_id or batch_run_id. */
    enum Kind {
        ERROR("adv"), JOB("x"), RUN("r");

        final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    /** One message of the mix, in publishing order. */
    sealed interface Entry permits Plain, Adversarial {
    }

    /** A plain valid error; rendered at publish time, with that time as its timestamp. */
    record Plain(int n) implements Entry {
    }

    /** An adversarial message; {@code n} also names the row a stored one must produce (see {@link #key}). */
    record Adversarial(int n, String category, String channel, Kind kind, Expect expect, String payload) implements Entry {
    }

    /** Categories and how many messages of each; the last one, hostile-fields, takes what is left of 10,000. */
    private static final Map<String, Integer> COUNTS = new LinkedHashMap<>();

    static {
        COUNTS.put(ISSUE_CATEGORY, 3);                 // STORED: the issue's exact message
        COUNTS.put(STALE_JOB_CATEGORY, 40);            // STORED executions: the issue's stale untargeted job
        COUNTS.put("hex-runs", 1000);                  // STORED: hex/digit/letter alternations, 0x, deadbeef, 1.2.3.4:5,6
        COUNTS.put("quotes", 600);                     // STORED: unbalanced, nested, runs of quotes
        COUNTS.put("separators", 500);                 // STORED: long runs of separators and whitespace
        COUNTS.put("unicode", 800);                    // STORED: combining marks, bidi, emoji, lone surrogates, nonchars
        COUNTS.put("control-escaped", 600);            // STORED: NUL, CR/LF, ANSI, bell, NEL, LS/PS as JSON escapes
        COUNTS.put("control-raw", 300);                // REJECTED: the same characters unescaped inside a string
        COUNTS.put("near-limit", 200);                 // STORED: 64 KiB minus 0..256 bytes
        COUNTS.put("over-limit", 200);                 // REJECTED: 64 KiB + 1 byte and more, some 1 MiB
        COUNTS.put("nesting-ok", 150);                 // STORED: metadata nested up to 20 levels
        COUNTS.put("deep-nesting", 350);               // REJECTED: 40 to 20,000 levels, closed or not
        COUNTS.put("wrong-type", 700);                 // REJECTED: a field of the wrong JSON type
        COUNTS.put("not-json", 700);                   // REJECTED: not JSON, or JSON but not an object (both channels)
        COUNTS.put("odd-json", 150);                   // STORED: duplicate keys, escaped key names, odd whitespace, unknown fields
        COUNTS.put("huge-context", 500);               // STORED: thousands of context keys, huge keys and metadata
        COUNTS.put("severity-variant", 100);           // STORED: " Error ", "CRITICAL", tabs around it
        COUNTS.put("bad-severity", 120);               // REJECTED: unknown severities, none at all
        COUNTS.put("odd-timestamp", 150);              // STORED: naive, offsets, epoch seconds with a fraction
        COUNTS.put("bad-timestamp", 150);              // REJECTED: not a date, out of range
        COUNTS.put("extreme-timestamp", 48);           // STORED: years 0001 and 9999 at the edge; REJECTED: just outside
        COUNTS.put("huge-symbol", 40);                 // STORED: a context.symbol of several KB of incompressible text
        COUNTS.put("hostile-execution", 600);          // STORED executions: hostile text in every field
        COUNTS.put("bad-execution", 400);              // REJECTED executions: missing or wrong fields
        int fixed = COUNTS.values().stream().mapToInt(Integer::intValue).sum();
        COUNTS.put("hostile-fields", ADVERSARIAL - fixed); // STORED: hostile text in 1 to 4 random fields
    }

    private final String run;
    private final Random rnd;
    private final Instant base;
    private final String errors;
    private final String executions;
    private final List<Adversarial> adversarial = new ArrayList<>();
    private final List<Entry> order = new ArrayList<>();

    private HostileEvents(String run, long seed, Instant base, String errors, String executions) {
        this.run = run;
        this.rnd = new Random(seed);
        this.base = base;
        this.errors = errors;
        this.executions = executions;
    }

    /**
     * The mix for one run: {@code run} prefixes every id (no '_' or '%': the test matches ids with LIKE), {@code base}
     * is "now" for the timestamps inside adversarial events, so the same seed, run and base give the same messages.
     */
    static HostileEvents generate(String run, long seed, Instant base, String errorsChannel, String executionsChannel) {
        HostileEvents events = new HostileEvents(run, seed, base, errorsChannel, executionsChannel);
        events.generateAll();
        return events;
    }

    List<Entry> order() {
        return order;
    }

    List<Adversarial> adversarial() {
        return adversarial;
    }

    /** The prefix of every id of this run. */
    String run() {
        return run;
    }

    /** The id a stored adversarial event has (before the hostile suffix some carry after a '~'). */
    String key(Kind kind, int n) {
        return keyPrefix(kind) + n;
    }

    /** What the ids of a kind start with, before their number. */
    String keyPrefix(Kind kind) {
        return run + "-" + kind.tag + "-";
    }

    String plainId(int n) {
        return run + "-ok-" + n;
    }

    /** Job names of the stale untargeted executions (each one freshness row: symbol '' and timeframe ''). */
    String staleJobPrefix() {
        return run + "-nightly-";
    }

    /** Ids of the plain errors published alone before the mix (the baseline): this prefix and a number. */
    String baselinePrefix() {
        return run + "-base-";
    }

    /** A plain valid error of the baseline, like {@link #plainPayload} under its own id. */
    String baselinePayload(int n, Instant publishedAt) {
        return plainPayload(n, publishedAt).replace(plainId(n), baselinePrefix() + n);
    }

    /** A plain valid error: a unique id with a known prefix, one group, stamped with the time it is published. */
    String plainPayload(int n, Instant publishedAt) {
        return "{\"error_id\":\"" + plainId(n) + "\",\"error_type\":\"HostileSuitePlain\",\"error_message\":\"plain error "
                + n + " of the hostile suite\",\"severity\":\"error\",\"category\":\"validation\",\"context\":{\"component\":"
                + "\"hostile-suite\",\"operation\":\"plain\"},\"timestamp\":\"" + publishedAt + "\"}";
    }

    /**
     * Messages whose expectation the shared codec does not confirm (a valid one rejected, an invalid one accepted, a
     * stored error below the stored severity or with another id): empty when the generator says what it means.
     */
    List<String> disagreementsWithCodec() {
        EventCodec codec = new EventCodec();
        List<String> disagreements = new ArrayList<>();
        for (Adversarial a : adversarial) {
            String problem;
            try {
                if (a.channel().equals(errors)) {
                    var e = codec.decodeError(a.payload());
                    problem = a.expect() == Expect.REJECTED ? "accepted by the codec"
                            : !e.severity().atLeast(dev.monitoring.model.Severity.ERROR) ? "severity " + e.severity() + " is not stored"
                            : !e.errorId().startsWith(key(a.kind(), a.n())) ? "error_id " + abbreviate(e.errorId()) : null;
                } else {
                    var x = codec.decodeExecution(a.payload());
                    String id = a.kind() == Kind.RUN ? x.batchRunId() : x.executionId();
                    problem = a.expect() == Expect.REJECTED ? "accepted by the codec"
                            : a.kind() == Kind.RUN != x.isRunLevel() ? "wrong kind"
                            : !id.startsWith(key(a.kind(), a.n())) ? "id " + abbreviate(id) : null;
                }
            } catch (dev.monitoring.model.InvalidEventException e) {
                problem = a.expect() == Expect.STORED ? "rejected by the codec: " + e.reason() : null;
            }
            if (problem != null) {
                disagreements.add("#" + a.n() + " " + a.category() + ": " + problem + "; payload starts " + abbreviate(a.payload()));
            }
        }
        return disagreements;
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...(" + s.length() + " chars)";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the mix

    private void generateAll() {
        int n = 0;
        for (Map.Entry<String, Integer> c : COUNTS.entrySet()) {
            for (int i = 0; i < c.getValue(); i++, n++) {
                adversarial.add(make(c.getKey(), n, i));
            }
        }
        order.addAll(adversarial);
        for (int i = 0; i < PLAIN; i++) {
            order.add(new Plain(i));
        }
        Collections.shuffle(order, rnd);
    }

    private Adversarial make(String category, int n, int i) {
        return switch (category) {
            case ISSUE_CATEGORY -> error(category, n, issueError(n));
            case STALE_JOB_CATEGORY -> new Adversarial(n, category, executions, Kind.JOB, Expect.STORED, staleUntargetedJob(n, i));
            case "hex-runs" -> error(category, n, textError(n, this::hexText));
            case "quotes" -> error(category, n, textError(n, this::quotesText));
            case "separators" -> error(category, n, textError(n, this::separatorText));
            case "unicode" -> error(category, n, textError(n, this::unicodeText));
            case "control-escaped" -> error(category, n, textError(n, this::controlText));
            case "control-raw" -> rejected(category, n, errors, controlRaw(n));
            case "near-limit" -> error(category, n, sized(n, LIMIT - between(0, 256)));
            case "over-limit" -> rejected(category, n, errors, sized(n, i < 5 ? 1024 * 1024 + between(0, 4096)
                    : i < 20 ? LIMIT + 1 : LIMIT + 1 + between(0, 65_536)));
            case "nesting-ok" -> error(category, n, nested(n, between(1, DEPTH_LIMIT - 12)));
            case "deep-nesting" -> rejected(category, n, rnd.nextInt(5) == 0 ? executions : errors, deep(n));
            case "wrong-type" -> rejected(category, n, errors, wrongType(n));
            case "not-json" -> rejected(category, n, rnd.nextInt(4) == 0 ? executions : errors, notJson(n));
            case "odd-json" -> error(category, n, oddJson(n));
            case "huge-context" -> error(category, n, fit(scale -> hugeContext(n, scale)));
            case "severity-variant" -> error(category, n, severityVariant(n));
            case "bad-severity" -> rejected(category, n, errors, badSeverity(n));
            case "odd-timestamp" -> error(category, n, oddTimestamp(n));
            case "bad-timestamp" -> rejected(category, n, errors, badTimestamp(n));
            case "extreme-timestamp" -> extremeTimestamp(category, n, i);
            case "huge-symbol" -> error(category, n, hugeSymbol(n));
            case "hostile-execution" -> hostileExecution(category, n);
            case "bad-execution" -> rejected(category, n, executions, badExecution(n));
            case "hostile-fields" -> error(category, n, fit(scale -> hostileFields(n, scale)));
            default -> throw new IllegalArgumentException(category);
        };
    }

    private Adversarial error(String category, int n, String payload) {
        return new Adversarial(n, category, errors, Kind.ERROR, Expect.STORED, payload);
    }

    private static Adversarial rejected(String category, int n, String channel, String payload) {
        return new Adversarial(n, category, channel, null, Expect.REJECTED, payload);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // valid errors

    /** A valid error of its own id (sometimes with a hostile suffix after '~'), stored severity, ordinary fields. */
    private Obj baseError(int n) {
        Obj context = new Obj().str("component", "hostile-suite").str("operation", "adversarial");
        Obj o = new Obj()
                .str("error_id", key(Kind.ERROR, n) + (rnd.nextInt(8) == 0 ? "~" + shortHostile(40) : ""))
                .str("error_type", "HostileSuiteAdversarial")
                .str("error_message", "adversarial event " + n)
                .str("severity", rnd.nextInt(100) == 0 ? "critical" : "error")
                .str("category", pick("pattern", "indicator", "database", "network", "validation", "performance",
                        "configuration", "unknown"))
                .obj("context", context);
        if (rnd.nextBoolean()) {
            o.str("timestamp", base.minusMillis(rnd.nextInt(3_600_000)).toString());
        }
        return o;
    }

    private String issueError(int n) {
        return baseError(n).str("error_message", ISSUE_MESSAGE).json(rnd);
    }

    /** The text in the message most of the time (the field the grouping regexes read), else in another text field. */
    private String textError(int n, IntFunction<String> text) {
        Obj o = baseError(n);
        int budget = rnd.nextInt(10) == 0 ? 8_000 : 3_000;
        String value = text.apply(budget);
        switch (rnd.nextInt(10)) {
            case 0 -> o.str("error_type", value);
            case 1 -> o.str("error_traceback", value);
            case 2 -> o.child("context").str("component", value);
            case 3 -> o.child("context").str("operation", value);
            case 4 -> o.child("context").str("timeframe", value);
            default -> o.str("error_message", value);
        }
        if (rnd.nextInt(3) == 0) {
            o.str("error_message", text.apply(budget)); // and in the message too
        }
        return o.json(rnd);
    }

    /** Hostile text in 1 to 4 random fields, context keys and metadata included; {@code scale} shrinks it to fit. */
    private String hostileFields(int n, int scale) {
        Obj o = baseError(n);
        int fields = between(1, 4);
        for (int f = 0; f < fields; f++) {
            String value = anyText(sizeBudget() / scale);
            switch (rnd.nextInt(12)) {
                case 0 -> o.str("error_type", value);
                case 1 -> o.str("error_traceback", value);
                case 2 -> o.child("context").str("component", value);
                case 3 -> o.child("context").str("operation", value);
                case 4 -> o.child("context").str("symbol", cap(value, 400)); // an indexed column: see huge-symbol
                case 5 -> o.child("context").str("timeframe", value);
                case 6 -> o.str("category", cap(value, 200));
                case 7 -> o.child("context").str(cap(value, 2_000), shortHostile(40));
                case 8 -> o.child("context").childOrNew("metadata").str(cap(value, 2_000), anyText(200));
                case 9 -> o.child("context").childOrNew("metadata").str("detail", value);
                case 10 -> o.raw(rnd.nextBoolean() ? "error_type" : "error_traceback", "null");
                default -> o.str("error_message", value);
            }
        }
        return o.json(rnd);
    }

    /** A payload of exactly {@code bytes} UTF-8 bytes: a hostile error padded in its traceback. */
    private String sized(int n, int bytes) {
        Obj o = baseError(n).str("error_message", anyText(between(10, 2_000)));
        o.str("error_traceback", "");
        int rest = bytes - utf8(o.json(null));
        if (rest < 0) {
            o.str("error_message", "near the limit");
            rest = bytes - utf8(o.json(null));
        }
        o.str("error_traceback", filler(rest));
        String payload = o.json(null);
        if (utf8(payload) != bytes) {
            throw new IllegalStateException("sized payload is " + utf8(payload) + " bytes, not " + bytes);
        }
        return payload;
    }

    /** Metadata (an object) nested {@code depth} more levels (root, context and metadata are 3 more). */
    private String nested(int n, int depth) {
        Obj o = baseError(n);
        o.child("context").raw("metadata", "{\"nest\":" + nesting(depth, true) + "}");
        if (rnd.nextBoolean()) {
            o.child("context").raw("unknown_" + n, nesting(between(1, depth), true));
        }
        return o.json(rnd);
    }

    private String nesting(int depth, boolean closed) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int d = 0; d < depth; d++) {
            if (rnd.nextBoolean()) {
                open.append("{").append(Json.str("k" + d, null)).append(":");
                close.append("}");
            } else {
                open.append("[");
                close.append("]");
            }
        }
        // the innermost value, then the closing brackets in reverse order of opening
        return open + "\"" + "x".repeat(between(0, 20)) + "\"" + (closed ? close.reverse().toString() : "");
    }

    private String oddJson(int n) {
        String id = Json.str(key(Kind.ERROR, n), null);
        return switch (rnd.nextInt(6)) {
            // duplicate keys: the last one wins
            case 0 -> "{\"error_id\":\"dup\",\"severity\":\"debug\",\"error_id\":" + id + ",\"severity\":\"error\",\"error_message\":\"dup keys\"}";
            // key names written as escapes
            case 1 -> "{\"\\u0065rror_id\":" + id + ",\"\\u0073everity\":\"\\u0065rror\",\"error\\u005fmessage\":\"escaped keys\"}";
            // whitespace of every kind around the tokens
            case 2 -> " \r\n\t{\r\n\"error_id\"\t:\r\n" + id + " ,\n\n\"severity\" : \"error\"\r\n,\"error_message\":\"spaced\"\t}\r\n ";
            // unknown fields of every type, some deep and big
            case 3 -> "{\"error_id\":" + id + ",\"severity\":\"error\",\"error_message\":\"unknown fields\",\"x\":[1,2.5e300,-0,true,null,{}],"
                    + "\"y\":{\"z\":[[[\"" + "y".repeat(between(0, 5000)) + "\"]]]},\"big\":123456789012345678901234567890,\"neg\":-1e-300}";
            // escaped solidus, every short escape
            case 4 -> "{\"error_id\":" + id + ",\"severity\":\"error\",\"error_message\":\"a\\/b\\\\c\\\"d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}";
            // nulls for every optional field
            default -> "{\"error_id\":" + id + ",\"severity\":\"error\",\"error_message\":\"nulls\",\"error_type\":null,\"error_traceback\":null,"
                    + "\"category\":null,\"timestamp\":null,\"context\":{\"component\":null,\"operation\":null,\"symbol\":null,\"timeframe\":null,"
                    + "\"metadata\":null,\"timestamp\":null}}";
        };
    }

    /** Many context keys, huge keys, big metadata; {@code scale} shrinks it to fit the limit. */
    private String hugeContext(int n, int scale) {
        Obj o = baseError(n);
        Obj context = o.child("context");
        switch (rnd.nextInt(5)) {
            case 0 -> {
                int keys = between(200, 3000) / scale;
                for (int k = 0; k < keys; k++) {
                    context.str("k" + k + (k % 7 == 0 ? shortHostile(6) : ""), k % 3 == 0 ? shortHostile(8) : "v");
                }
            }
            case 1 -> context.str(anyText(between(2_000, 20_000) / scale), "huge key");
            case 2 -> {
                Obj metadata = context.childOrNew("metadata");
                int keys = between(200, 3000) / scale;
                for (int k = 0; k < keys; k++) {
                    switch (k % 5) {
                        case 0 -> metadata.raw("m" + k, Integer.toString(k));
                        case 1 -> metadata.raw("m" + k, k % 2 == 0 ? "true" : "null");
                        case 2 -> metadata.raw("m" + k, "[" + k + ",\"" + k + "\",[]]");
                        default -> metadata.str("m" + k, shortHostile(10));
                    }
                }
            }
            case 3 -> context.childOrNew("metadata").str("blob", anyText(between(10_000, 40_000) / scale));
            default -> {
                Obj metadata = context.childOrNew("metadata");
                metadata.str("", "empty key").str("\u0000", "nul key").str("\ud800", "lone surrogate key")
                        .str("\u202e" + "yek", "bidi key").str("a\r\nb", "crlf key").str(anyText(3_000 / scale), anyText(3_000 / scale));
            }
        }
        return o.json(rnd);
    }

    private String severityVariant(int n) {
        String severity = pick("ERROR", "Error", "eRrOr", " error", "error ", "\terror\n", "\r\nerror\r\n", "CRITICAL", "Critical", " critical\t");
        return baseError(n).str("severity", severity).json(rnd);
    }

    private String oddTimestamp(int n) {
        Obj o = baseError(n);
        switch (rnd.nextInt(8)) {
            case 0 -> o.str("timestamp", "2026-11-29T10:00:00");
            case 1 -> o.str("timestamp", "2026-11-29 10:00:00.5");
            case 2 -> o.str("timestamp", "2026-11-29T10:00:00.123456789+05:30");
            case 3 -> o.str("timestamp", "2026-11-29T10:00-11:00");
            case 4 -> o.raw("timestamp", Long.toString(base.getEpochSecond() - between(0, 86_400)));
            case 5 -> o.raw("timestamp", base.getEpochSecond() + ".123456789");
            case 6 -> o.raw("timestamp", "0");
            default -> o.str("timestamp", "  1999-12-31T23:59:59.999999Z  ");
        }
        if (rnd.nextBoolean()) {
            o.child("context").str("timestamp", "2026-11-29T10:00:00+14:00");
        }
        return o.json(rnd);
    }

    /**
     * Timestamps at the edges of the range the codec accepts (years 0001 to 9999, what every store and client can hold):
     * the first and last instants of that range are valid and stored; one step outside them, and instants far outside
     * (epoch 1e15, year 300000, 5000 BC: PostgreSQL refused some of these once the codec had let them through), are
     * rejected with the reason "out of range".
     */
    private Adversarial extremeTimestamp(String category, int n, int i) {
        Obj o = baseError(n);
        boolean inRange = i % 2 == 0;
        if (inRange) {
            switch (i / 2 % 6) {
                case 0 -> o.str("timestamp", "0001-01-01T00:00:00Z");
                case 1 -> o.str("timestamp", "9999-12-31T23:59:59Z");
                case 2 -> o.str("timestamp", "9999-12-31T23:59:59.999999Z");
                case 3 -> o.raw("timestamp", "-62135596800");                 // 0001-01-01T00:00:00Z as epoch seconds
                case 4 -> o.raw("timestamp", "253402300799");                 // 9999-12-31T23:59:59Z as epoch seconds
                default -> o.str("timestamp", "0001-01-01T01:00:00+01:00");   // the first instant, with an offset
            }
            return new Adversarial(n, category, errors, Kind.ERROR, Expect.STORED, o.json(rnd));
        }
        switch (i / 2 % 10) {
            case 0 -> o.raw("timestamp", "1e15");
            case 1 -> o.raw("timestamp", "-1000000000000");
            case 2 -> o.str("timestamp", "+300000-01-01T00:00:00Z");
            case 3 -> o.str("timestamp", "-5000-01-01T00:00:00Z");
            case 4 -> o.str("timestamp", "0000-12-31T23:59:59Z");             // one second before the first instant
            case 5 -> o.str("timestamp", "+10000-01-01T00:00:00Z");           // the instant after the last one
            case 6 -> o.raw("timestamp", "-62135596801");                    // one second before, as epoch seconds
            case 7 -> o.raw("timestamp", "253402300800");                    // the instant after, as epoch seconds
            case 8 -> o.str("timestamp", "0001-01-01T00:00:00+01:00");       // year 0001 locally, year 0000 in UTC
            default -> o.str("timestamp", "9999-12-31T23:30:00-01:00");      // year 9999 locally, year 10000 in UTC
        }
        return rejected(category, n, errors, o.json(rnd));
    }

    /** A symbol of several KB of random letters of several scripts: more than a btree index entry may hold. */
    private String hugeSymbol(int n) {
        StringBuilder symbol = new StringBuilder();
        int length = between(1_500, 6_000);
        int[][] ranges = {{0x4E00, 0x9FFF}, {0x0400, 0x04FF}, {0x0370, 0x03FF}, {0x0600, 0x06FF}, {0x0041, 0x007A}};
        while (symbol.length() < length) {
            int[] r = ranges[rnd.nextInt(ranges.length)];
            symbol.appendCodePoint(r[0] + rnd.nextInt(r[1] - r[0] + 1));
        }
        Obj o = baseError(n);
        o.child("context").str("symbol", symbol.toString());
        return o.json(rnd);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // invalid errors

    private String controlRaw(int n) {
        // a control character below U+0020 written as itself inside a string is not JSON
        char raw = pick('\u0000', '\n', '\r', '\t', '\u0001', '\u001b', '\u0008', '\u000c', '\u001f');
        Obj o = baseError(n);
        String json = o.json(null);
        String field = pick("\"error_message\":\"", "\"error_type\":\"", "\"component\":\"", "\"error_id\":\"");
        int at = json.indexOf(field);
        if (at < 0) {
            field = "\"error_message\":\"";
            at = json.indexOf(field);
        }
        int insert = at + field.length();
        return json.substring(0, insert) + "before" + raw + "after" + controlText(200).replace("\\", "") + json.substring(insert);
    }

    private String deep(int n) {
        int depth = rnd.nextInt(10) == 0 ? between(5_000, 20_000) : between(DEPTH_LIMIT + 8, 600);
        return switch (rnd.nextInt(5)) {
            case 0 -> "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "{\"a\":".repeat(depth);                     // never closed
            case 2 -> "[".repeat(depth);                            // never closed
            default -> {
                Obj o = baseError(n);
                o.child("context").raw("metadata", nesting(depth, true));
                yield o.json(null);
            }
        };
    }

    private String wrongType(int n) {
        Obj o = baseError(n);
        String wrong = pick("42", "-1.5e3", "true", "false", "[]", "[\"error\"]", "{}", "{\"text\":\"x\"}");
        String objectWrong = pick("42", "true", "\"text\"", "[]", "[{}]");
        switch (rnd.nextInt(14)) {
            case 0 -> o.raw("severity", wrong);
            case 1 -> o.raw("error_message", wrong);
            case 2 -> o.raw("error_type", wrong);
            case 3 -> o.raw("error_traceback", wrong);
            case 4 -> o.raw("error_id", wrong);
            case 5 -> o.raw("category", wrong);
            case 6 -> o.raw("timestamp", pick("true", "{}", "[]", "[2026,11,30]"));
            case 7 -> o.raw("context", objectWrong);
            case 8 -> o.child("context").raw("component", wrong);
            case 9 -> o.child("context").raw("operation", wrong);
            case 10 -> o.child("context").raw("symbol", wrong);
            case 11 -> o.child("context").raw("timeframe", wrong);
            case 12 -> o.child("context").raw("metadata", objectWrong);
            default -> o.child("context").raw("timestamp", pick("true", "[]", "\"garbage\""));
        }
        return o.json(rnd);
    }

    private String notJson(int n) {
        String valid = baseError(n).json(null);
        return switch (rnd.nextInt(24)) {
            case 0 -> "";
            case 1 -> " \t\r\n ";
            case 2 -> "null";
            case 3 -> "true";
            case 4 -> "42";
            case 5 -> "\"just a string\"";
            case 6 -> "[" + valid + "]";
            case 7 -> "[]";
            case 8 -> "{";
            case 9 -> "}";
            case 10 -> valid.substring(0, between(1, valid.length() - 1)); // truncated
            case 11 -> valid.replace('"', '\'');                            // single quotes
            case 12 -> valid.replaceAll("\"([a-z_]+)\":", "$1:");           // unquoted keys
            case 13 -> valid + " and more";                                 // trailing garbage
            case 14 -> valid + valid;                                       // two objects
            case 15 -> "<error><message>xml</message></error>";
            case 16 -> "{\"severity\":\"error\",\"error_message\":\"x\",}"; // trailing comma
            case 17 -> "{\"severity\":\"error\",\"error_message\":\"x\" /* comment */}";
            case 18 -> "{\"severity\":\"error\",\"error_message\":NaN}";
            case 19 -> "\ufeff" + valid;                                    // a byte order mark before the object
            case 20 -> "{\"severity\":\"error\",\"error_message\":\"\\x41\"}"; // not a JSON escape
            case 21 -> "{\"severity\":\"error\",\"error_message\":\"\\u12\"}"; // a short unicode escape
            default -> anyText(between(1, 4_000)).replace("{", "(");     // hostile text, no object in it
        };
    }

    private String badSeverity(int n) {
        Obj o = baseError(n);
        switch (rnd.nextInt(8)) {
            case 0 -> o.str("severity", pick("fatal", "err", "errors", "critical!", "warn", "panic"));
            case 1 -> o.str("severity", "");
            case 2 -> o.str("severity", "\u00a0error");                       // no-break space is not trimmed
            case 3 -> o.str("severity", "\uff45\uff52\uff52\uff4f\uff52");     // full-width "error"
            case 4 -> o.str("severity", "e\u0301rror");                       // a combining accent
            case 5 -> o.str("severity", anyText(between(1, 3_000)).replace("error", "e-rror").replace("ERROR", "E-RROR"));
            case 6 -> {
                o.remove("severity");
                o.remove("error_message");
            }
            default -> {
                o.raw("severity", "null");
                o.raw("error_message", "null");
            }
        }
        return o.json(rnd);
    }

    private String badTimestamp(int n) {
        Obj o = baseError(n);
        switch (rnd.nextInt(12)) {
            case 0 -> o.str("timestamp", "yesterday");
            case 1 -> o.str("timestamp", "");
            case 2 -> o.str("timestamp", "2026-13-01T00:00:00");
            case 3 -> o.str("timestamp", "2026-11-29T25:00:00");
            case 4 -> o.str("timestamp", "12:00:00");
            case 5 -> o.str("timestamp", "2026/11/29 10:00:00");
            case 6 -> o.raw("timestamp", "1e400");
            case 7 -> o.raw("timestamp", "-1e400");
            case 8 -> o.raw("timestamp", "1e30");
            case 9 -> o.str("timestamp", "2026-11-29T10:00:00" + "0".repeat(between(10, 3000)));
            case 10 -> o.str("timestamp", hexText(200));
            default -> o.str("timestamp", "2026-11-29T10:00:00+25:00");
        }
        return o.json(rnd);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // executions

    /** The issue's case: a job event with a job but no target, thresholds of 1 and 2 seconds, and an old time. */
    private String staleUntargetedJob(int n, int i) {
        Obj o = new Obj().str("event", "job.succeeded").str("execution_id", key(Kind.JOB, n))
                .str("job", staleJobPrefix() + (i % STALE_JOBS)).raw("fresh_seconds", "1").raw("stale_seconds", "2");
        Instant old = base.minus(Duration.ofMinutes(between(10, 48 * 60)));
        switch (i % 4) {
            case 0 -> o.str("timestamp", old.toString());
            case 1 -> o.raw("timestamp", Long.toString(old.getEpochSecond()));
            case 2 -> o.str("timestamp", old.toString()).str("symbol", "").str("timeframe", "");
            default -> o.str("timestamp", old.toString()).raw("symbol", "null").raw("timeframe", "null");
        }
        return o.json(rnd);
    }

    private Adversarial hostileExecution(String category, int n) {
        boolean run = rnd.nextInt(4) == 0;
        Obj o = new Obj();
        if (run) {
            o.str("event", pick("run.started", "run.progress", "run.completed", "run.failed", "run.cancelled"))
                    .str("batch_run_id", key(Kind.RUN, n) + (rnd.nextBoolean() ? "~" + shortHostile(40) : ""))
                    .str("current_job", shortHostile(100)).str("current_target", anyText(between(1, 3_000)))
                    .raw("total_jobs", Integer.toString(between(0, 1000))).raw("completed_jobs", Integer.toString(between(0, 1000)))
                    .raw("failed_jobs", Integer.toString(between(0, 1000))).raw("progress_percent", Double.toString(rnd.nextDouble() * 100));
        } else {
            o.str("event", pick("job.started", "job.succeeded", "job.failed"))
                    .str("execution_id", key(Kind.JOB, n) + (rnd.nextBoolean() ? "~" + shortHostile(40) : ""))
                    .str("job", rnd.nextBoolean() ? run + "-job-" + (n % 20) : "j" + shortHostile(80)) // never blank
                    .raw("records_processed", Long.toString(rnd.nextInt(1_000_000)))
                    .raw("duration_seconds", Double.toString(rnd.nextDouble() * 1000))
                    .raw("attempt", Integer.toString(between(1, 5)));
            if (rnd.nextBoolean()) {
                o.str("symbol", shortHostile(60));
            }
            if (rnd.nextBoolean()) {
                o.str("timeframe", shortHostile(30));
            }
            if (rnd.nextInt(3) == 0) {
                o.str("batch_run_id", shortHostile(60));
            }
        }
        o.str("error_message", anyText(sizeBudget()));
        if (rnd.nextBoolean()) {
            o.str("timestamp", base.minusMillis(rnd.nextInt(600_000)).toString());
        }
        if (rnd.nextInt(4) == 0) {
            o.str("status", pick("running", "completed", "failed", "cancelled", "FAILED", " completed "));
        }
        return new Adversarial(n, category, executions, run ? Kind.RUN : Kind.JOB, Expect.STORED, o.json(rnd));
    }

    private String badExecution(int n) {
        Obj o = new Obj().str("event", "job.failed").str("execution_id", key(Kind.JOB, n)).str("job", run + "-job-bad")
                .str("error_message", anyText(between(1, 500)));
        switch (rnd.nextInt(16)) {
            case 0 -> o.remove("event");
            case 1 -> o.str("event", pick("job.exploded", "JOB", "", "run", shortHostile(30)));
            case 2 -> o.remove("execution_id");
            case 3 -> o.str("execution_id", pick("", "   ", "\t\r\n"));
            case 4 -> o.remove("job");
            case 5 -> o.str("event", "run.started"); // a run event without batch_run_id
            case 6 -> o.str("status", pick("done", "ok", "", shortHostile(20)));
            case 7 -> o.raw("fresh_seconds", pick("\"1\"", "1.5", "1e3", "true"));
            case 8 -> o.raw("stale_seconds", "99999999999999999999999");
            case 9 -> o.raw("attempt", pick("3000000000", "-3000000000", "1e12"));
            case 10 -> o.raw("records_processed", pick("\"many\"", "1.0e30", "[]"));
            case 11 -> o.raw("duration_seconds", pick("\"fast\"", "{}", "1e400"));
            case 12 -> o.raw("progress_percent", pick("1e400", "\"50%\""));
            case 13 -> o.str("timestamp", pick("soon", "", "2026-02-30T25:61:00"));
            case 14 -> o.raw("execution_id", pick("5", "[]", "{}", "true"));
            default -> o.raw("job", pick("5", "[\"nightly\"]", "{}", "false"));
        }
        return o.json(rnd);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // hostile text

    private String anyText(int max) {
        return switch (rnd.nextInt(6)) {
            case 0 -> hexText(max);
            case 1 -> quotesText(max);
            case 2 -> separatorText(max);
            case 3 -> unicodeText(max);
            case 4 -> controlText(max);
            default -> {
                StringBuilder mixed = new StringBuilder();
                int parts = between(2, 4);
                for (int p = 0; p < parts; p++) {
                    mixed.append(anyText(Math.max(1, max / parts)));
                }
                yield cap(mixed.toString(), max);
            }
        };
    }

    private String shortHostile(int max) {
        return anyText(between(1, max));
    }

    /** Mostly short, sometimes a few KB. */
    private int sizeBudget() {
        int r = rnd.nextInt(10);
        return r < 6 ? between(1, 100) : r < 9 ? between(100, 2_000) : between(2_000, 8_000);
    }

    /** Hex-like runs: what a backtracking hex or number pattern needs super-linear time for. */
    private String hexText(int max) {
        String text = switch (rnd.nextInt(8)) {
            case 0 -> times("1a", between(100, 2800), max) + "g";
            case 1 -> {
                StringBuilder b = new StringBuilder(); // 1a2b3c4d5e6f7a8b...
                int pairs = Math.min(between(50, 2000), max / 2 + 1);
                for (int p = 0; p < pairs; p++) {
                    b.append((char) ('0' + p % 10)).append((char) ('a' + p % 6));
                }
                yield b.append(pick("g", "z", "_", "!", "")).toString();
            }
            case 2 -> repeat(() -> "0x" + hex(between(1, 12)), between(10, 500), pick("", " ", ",", "-", "0x"), max);
            case 3 -> times("deadbeef", between(20, 700), max) + pick("g", "xyz", "_", "!", "");
            case 4 -> repeat(() -> Integer.toString(rnd.nextInt(1000)), between(50, 1500), pick(".", ",", ":", ".", "..", ":,"), max)
                    + pick(".", ",", ":", "x", "");
            case 5 -> repeat(() -> hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(11) + pick("g", "", "-"),
                    between(5, 100), "", max);
            case 6 -> hex(Math.min(between(100, 5000), max + 1)) + pick("g", "G", "-", "");
            default -> repeat(() -> "failed at 0x" + hex(8) + " after " + rnd.nextInt(100) + " retries (" + hex(6) + ")",
                    between(1, 80), pick(" ", "\n", "; "), max);
        };
        return cap(text, max);
    }

    private String quotesText(int max) {
        String text = switch (rnd.nextInt(7)) {
            case 0 -> times("'", between(1, 5000), max);
            case 1 -> times("\"", between(1, 5000), max);
            case 2 -> times("'\"", between(1, 2500), max);
            case 3 -> repeat(() -> pick("'", "\"", "`", "\u2018", "\u201c", "\\'", "\\\"", "''", "\"\"\"") + hex(between(0, 6)),
                    between(5, 800), pick("", " ", "'"), max);
            case 4 -> "\"'" + times("1a", between(10, 1000), max) + "'\"" + "\"" + "x".repeat(between(0, 100)); // unbalanced
            case 5 -> "'" + times("a'b\"c", between(1, 800), max) + "\\";
            default -> repeat(() -> "\"" + repeat(() -> "'nested'", between(1, 5), " ", max) + "\"", between(1, 300), " ", max);
        };
        return cap(text, max);
    }

    private String separatorText(int max) {
        String text = switch (rnd.nextInt(4)) {
            case 0 -> times(String.valueOf(pick(',', ';', ':', '|', '/', '\\', '-', '_', '.', '=', '+', '*', '#', '~', ' ', '\t')),
                    between(100, 8000), max);
            case 1 -> repeat(() -> pick(",", ";", ":", "|", "/", "\\", "-", "_", ".", "=", " ", "\t", "::", "--", "..", "\\\\"),
                    between(100, 4000), "", max);
            case 2 -> repeat(() -> pick("a", "1", "f") + pick(".", ":", ",", "-"), between(100, 3000), "", max);
            default -> times(" ", between(1, 3000), max) + "x" + times("\t", between(1, 3000), max);
        };
        return cap(text, max);
    }

    private String unicodeText(int max) {
        StringBuilder b = new StringBuilder();
        int pieces = between(1, 40);
        for (int p = 0; p < pieces && b.length() < max; p++) {
            switch (rnd.nextInt(13)) {
                case 0 -> { // zalgo: a letter with hundreds of combining marks
                    b.append(pick('e', 'a', 'Z', '1'));
                    int marks = between(1, 400);
                    for (int m = 0; m < marks; m++) {
                        b.append((char) (0x0300 + rnd.nextInt(0x70)));
                    }
                }
                case 1 -> b.append('\u202e').append("gnirts desrever").append('\u202c').append('\u202d').append("ltr").append('\u2066')
                        .append("isolate").append('\u2069');
                case 2 -> b.append("zero\u200bwidth\u200c\u200d\u2060\ufeff");
                case 3 -> b.append("\ud83d\ude00\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66\ud83c\uddfa\ud83c\uddf8"
                        + "\ud83d\udc4d\ud83c\udffd1\ufe0f\u20e3");
                case 4 -> b.append(pick("\ud800", "\udfff", "\udc00\ud800", "\udbff", "x\ud83dy")); // lone and reversed surrogates
                case 5 -> b.append("\ufffe\uffff\udbff\udfff\ue000\ufffd");
                case 6 -> b.append("\u65e5\u672c\u8a9e \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u0939\u093f\u0928\u094d\u0926\u0940 "
                        + "\u1100\u1161\u11a8 \u0e44\u0e17\u0e22");
                case 7 -> b.append("\uff11\uff12\uff13\u0663\u0664\u0665\u0e51\u0e52"); // full-width and other digits
                case 8 -> b.append("d\u0435adb\u0435\u0435f 0\u0445ff"); // Cyrillic look-alikes in hex
                case 9 -> b.append("\ud835\udd73\ud835\udd8a\ud835\udd91\ud835\udd91\ud835\udd94"); // mathematical letters
                case 10 -> b.append("\u00e9\u0065\u0301\u212b\u00c5\u0041\u030a"); // composed and decomposed forms
                case 11 -> b.append("\u0000\u0085\u2028\u2029"); // with control-like separators
                default -> b.append(hexText(between(1, 200)));
            }
        }
        return cap(b.toString(), max);
    }

    private String controlText(int max) {
        StringBuilder b = new StringBuilder();
        int pieces = between(1, 60);
        for (int p = 0; p < pieces && b.length() < max; p++) {
            b.append(pick("\u0000", "\r\n", "\n", "\r", "\t", "\b", "\f", "\u000b", "\u001b[31mRED\u001b[0m", "\u001b]0;title\u0007",
                    "\u0007", "\u007f", "\u0085", "\u2028", "\u2029", "\u0000".repeat(between(1, 200)), "\r".repeat(between(1, 200)),
                    "\n2026-11-30 12:00:00,000 ERROR [fake.Logger] injected line\n", "\r\n\r\n", "text"));
        }
        return cap(b.toString(), max);
    }

    /** Exactly {@code bytes} UTF-8 bytes of characters that JSON never escapes: ASCII, 2-, 3- and 4-byte ones. */
    private String filler(int bytes) {
        StringBuilder b = new StringBuilder();
        String[] units = {"x", " ", "\u00e9", "\u20ac", "\ud83d\ude00"};
        int[] sizes = {1, 1, 2, 3, 4};
        int rest = bytes;
        while (rest > 0) {
            int u = rnd.nextInt(units.length);
            if (sizes[u] <= rest) {
                b.append(units[u]);
                rest -= sizes[u];
            }
        }
        return b.toString();
    }

    /** Builds with scale 1, 2, 4... until the payload fits under the limit with some room. */
    private String fit(IntFunction<String> build) {
        for (int scale = 1; ; scale *= 2) {
            String payload = build.apply(scale);
            if (utf8(payload) <= LIMIT - 1024) {
                return payload;
            }
        }
    }

    /** {@code times} parts joined by the separator, stopping early once {@code max} characters are reached. */
    private String repeat(Supplier<String> part, int times, String separator, int max) {
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < times && b.length() < max; t++) {
            if (t > 0) {
                b.append(separator);
            }
            b.append(part.get());
        }
        return b.toString();
    }

    private String hex(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append("0123456789abcdefABCDEF".charAt(rnd.nextInt(22)));
        }
        return b.toString();
    }

    /** {@code unit} repeated {@code times}, or just enough times to pass {@code max} characters. */
    private static String times(String unit, int times, int max) {
        return unit.repeat(Math.min(times, max / unit.length() + 1));
    }

    private static String cap(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max));
    }

    private int between(int min, int max) {
        return min + rnd.nextInt(max - min + 1);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    /** UTF-8 length as {@link String#getBytes} gives it (an unpaired surrogate becomes '?'), without the copy. */
    static int utf8(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // JSON by hand

    /** A JSON object kept as ordered key -> raw JSON value, so any value (broken ones too) can be put in any field. */
    private static final class Obj {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        Obj str(String key, String value) {
            fields.put(key, new Text(value));
            return this;
        }

        Obj raw(String key, String json) {
            fields.put(key, json);
            return this;
        }

        Obj obj(String key, Obj value) {
            fields.put(key, value);
            return this;
        }

        Obj remove(String key) {
            fields.remove(key);
            return this;
        }

        Obj child(String key) {
            return (Obj) fields.get(key);
        }

        Obj childOrNew(String key) {
            if (!(fields.get(key) instanceof Obj)) {
                fields.put(key, new Obj());
            }
            return (Obj) fields.get(key);
        }

        /** The JSON text; with a Random, strings are escaped in one of several equivalent styles. */
        String json(Random style) {
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append(Json.str(e.getKey(), style)).append(':');
                Object v = e.getValue();
                if (v instanceof Text t) {
                    b.append(Json.str(t.value(), style));
                } else if (v instanceof Obj o) {
                    b.append(o.json(style));
                } else {
                    b.append(v);
                }
            }
            return b.append('}').toString();
        }

        private record Text(String value) {
        }
    }

    private static final class Json {
        private Json() {
        }

        /**
         * A JSON string literal. Quotes, backslashes, control characters and unpaired surrogates are always escaped (a
         * lone surrogate cannot be sent as UTF-8); with a Random, some strings also escape every non-ASCII character or
         * the solidus, and use \\u escapes instead of the short ones.
         */
        static String str(String s, Random style) {
            int mode = style == null ? 0 : style.nextInt(6); // 0-3 plain, 4 all non-ASCII escaped, 5 long escapes and \/
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (c == '"') {
                    b.append("\\\"");
                } else if (c == '\\') {
                    b.append("\\\\");
                } else if (c == '/' && mode == 5) {
                    b.append("\\/");
                } else if (c < 0x20) {
                    String shortEscape = switch (c) {
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        case '\t' -> "\\t";
                        case '\b' -> "\\b";
                        case '\f' -> "\\f";
                        default -> null;
                    };
                    b.append(shortEscape != null && mode != 5 ? shortEscape : unicodeEscape(c));
                } else if (paired) {
                    if (mode == 4) {
                        b.append(unicodeEscape(c)).append(unicodeEscape(s.charAt(i + 1)));
                    } else {
                        b.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                } else if (Character.isSurrogate(c) || (mode == 4 && c > 0x7e)) {
                    b.append(unicodeEscape(c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }

        private static final char[] HEX = "0123456789abcdef".toCharArray();

        private static String unicodeEscape(char c) {
            return new String(new char[]{'\\', 'u', HEX[c >> 12 & 15], HEX[c >> 8 & 15], HEX[c >> 4 & 15], HEX[c & 15]});
        }
    }
}
