package dev.monitoring.monitor.api;

/** A query parameter the client got wrong; mapped to 400 with the parameter's name. */
public class BadParameterException extends RuntimeException {
    private final String parameter;

    public BadParameterException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
