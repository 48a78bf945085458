package dev.monitoring.model;

/** A payload that is not a valid event. {@link #getMessage()} is the reason, written for the producer to act on. */
public class InvalidEventException extends Exception {
    public InvalidEventException(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
