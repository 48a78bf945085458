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
 * @param type     the frame's {@code type}
 * @param foldKey  key of identical frames, null when the frame never folds
 * @param body     the JSON member(s) after {@code type} (and {@code count}), without braces
 */
public record LiveFrame(String type, String foldKey, Severity severity, Category category, String symbol, String body) {

    public boolean isError() {
        return severity != null;
    }

    /** About the length of {@link #render}'s text (a count of up to ten digits included), without rendering it. */
    public int renderedLength() {
        return type.length() + body.length() + 32;
    }

    /** The frame as sent: error frames carry the number of identical errors they stand for. */
    public String render(int count) {
        if (isError()) {
            return "{\"type\":\"" + type + "\",\"count\":" + count + "," + body + "}";
        }
        return "{\"type\":\"" + type + "\"," + body + "}";
    }
}
