package dev.monitoring.gateway.live;

import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;

/**
 * One frame to broadcast, rendered once and shared by every client.
 *
 * <p>Error frames carry what the per-client filter looks at and a fold key ("identical" errors:
 * same type of frame, severity, category, error type, component, symbol and message); under
 * throttling, frames with the same fold key become one frame with a count.
 *
 * <p>The text of the frame as most clients get it (a count of 1) is built here, once: every client's queue hands out
 * that same string, so a broadcast to N clients copies its body no time at all. Only a client whose frames folded
 * (a count above 1) gets a text of its own.
 */
public final class LiveFrame {
    private final String type;
    private final String foldKey;
    private final Severity severity;
    private final Category category;
    private final String symbol;
    private final String body;
    private final String single;

    /**
     * @param type     the frame's {@code type}
     * @param foldKey  key of identical frames, null when the frame never folds
     * @param body     the JSON member(s) after {@code type} (and {@code count}), without braces
     */
    public LiveFrame(String type, String foldKey, Severity severity, Category category, String symbol, String body) {
        this.type = type;
        this.foldKey = foldKey;
        this.severity = severity;
        this.category = category;
        this.symbol = symbol;
        this.body = body;
        this.single = build(1);
    }

    public String type() {
        return type;
    }

    public String foldKey() {
        return foldKey;
    }

    public Severity severity() {
        return severity;
    }

    public Category category() {
        return category;
    }

    public String symbol() {
        return symbol;
    }

    public String body() {
        return body;
    }

    public boolean isError() {
        return severity != null;
    }

    /** About the length of {@link #render}'s text (a count of up to ten digits included), without rendering it. */
    public int renderedLength() {
        return type.length() + body.length() + 32;
    }

    /**
     * The frame as sent: error frames carry the number of identical errors they stand for. A count of 1 is the shared
     * text, the same instance for every client.
     */
    public String render(int count) {
        return count == 1 ? single : build(count);
    }

    private String build(int count) {
        if (isError()) {
            return "{\"type\":\"" + type + "\",\"count\":" + count + "," + body + "}";
        }
        return "{\"type\":\"" + type + "\"," + body + "}";
    }

    @Override
    public String toString() {
        return single;
    }
}
