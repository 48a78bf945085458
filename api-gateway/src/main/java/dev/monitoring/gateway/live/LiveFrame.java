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
 * <p>The text of the frame as most clients get it (a count of 1) is built once, with the frame: every client's queue
 * hands out that same string, so a broadcast to N clients copies its body no time at all. Only a client whose frames
 * folded (a count above 1) gets a text of its own.
 *
 * @param type     the frame's {@code type}
 * @param foldKey  key of identical frames, null when the frame never folds
 * @param body     the JSON member(s) after {@code type} (and {@code count}), without braces
 * @param single   the frame's text with a count of 1, built by the constructor
 */
public record LiveFrame(String type, String foldKey, Severity severity, Category category, String symbol, String body,
                        String single) {

    public LiveFrame(String type, String foldKey, Severity severity, Category category, String symbol, String body) {
        this(type, foldKey, severity, category, symbol, body, text(type, severity != null, body, 1));
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
        return count == 1 ? single : text(type, isError(), body, count);
    }

    private static String text(String type, boolean error, String body, int count) {
        if (error) {
            return "{\"type\":\"" + type + "\",\"count\":" + count + "," + body + "}";
        }
        return "{\"type\":\"" + type + "\"," + body + "}";
    }
}
