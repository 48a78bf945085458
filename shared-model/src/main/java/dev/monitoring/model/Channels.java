package dev.monitoring.model;

/**
 * Default Redis channel names. Services read the names in force from {@link ChannelsConfig}.
 *
 * <p>Next to each event channel there is a durable Redis Stream named {@code <channel>:stream} (the durable path): the shared
 * publisher appends every error and execution event to it as well, and the monitors consume it in a consumer group.
 */
public final class Channels {
    public static final String ERRORS = "errors";
    public static final String EXECUTIONS = "executions";
    public static final String ALERTS = "alerts";
    /** Silences made or ended, and notification deliveries, for the live dashboards (pub/sub only). */
    public static final String NOTIFICATIONS = "notifications";
    /** A key, not a channel: the checks of the runner's jobs, as the runner last declared them (JSON). */
    public static final String RUNNER_CHECKS = "runner:checks";

    /** The stream that carries the same events as {@code channel}, durably: {@code errors} gives {@code errors:stream}. */
    public static String stream(String channel) {
        return channel + ":stream";
    }

    /** The field of a stream entry that holds the event JSON. */
    public static final String STREAM_FIELD = "event";

    /** How the pub/sub copy of an event that is also in its stream begins: {@code "durable": true} as its first field. */
    private static final String DURABLE_MARK = "{\"durable\":true,";

    /**
     * The pub/sub copy of an event appended to its stream: the same JSON with {@code "durable": true} first, so a
     * monitor that consumes the stream skips it without decoding it, and any other subscriber (the gateway, a
     * foreign one) reads the event as before, an unknown field being ignored.
     */
    public static String markDurable(String payload) {
        return payload.length() > 2 && payload.charAt(0) == '{' ? DURABLE_MARK + payload.substring(1) : payload;
    }

    /** Whether a message is the marked pub/sub copy of an event that is in its stream too. */
    public static boolean markedDurable(String payload) {
        return payload.startsWith(DURABLE_MARK);
    }

    private Channels() {
    }
}
