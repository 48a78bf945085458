package dev.monitoring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * An error event as published on the {@code errors} channel. The wire format is snake_case;
 * {@link EventCodec#decodeError} fills in what a hand-typed event leaves out, so a decoded event
 * always has an id, a severity, a message, a category, a context and a timestamp.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorEvent(
        @JsonProperty("error_id") String errorId,
        @JsonProperty("error_type") String errorType,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("error_traceback") String errorTraceback,
        Severity severity,
        Category category,
        ErrorContext context,
        Instant timestamp) {

    public ErrorEvent {
        category = category == null ? Category.UNKNOWN : category;
        context = context == null ? ErrorContext.EMPTY : context;
    }

    public ErrorEvent withErrorId(String id) {
        return new ErrorEvent(id, errorType, errorMessage, errorTraceback, severity, category, context, timestamp);
    }
}
