package dev.monitoring.model;

/** Default Redis channel names. Services read the names in force from {@link ChannelsConfig}. */
public final class Channels {
    public static final String ERRORS = "errors";
    public static final String EXECUTIONS = "executions";
    public static final String ALERTS = "alerts";

    private Channels() {
    }
}
