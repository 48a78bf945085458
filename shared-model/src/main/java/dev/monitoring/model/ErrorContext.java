package dev.monitoring.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/** Where an error happened. Every field is optional on the wire. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorContext(
        String component,
        String operation,
        String symbol,
        String timeframe,
        Map<String, Object> metadata,
        Instant timestamp) {

    public static final ErrorContext EMPTY = new ErrorContext(null, null, null, null, Map.of(), null);

    public ErrorContext {
        metadata = metadata == null ? Map.of() : metadata;
    }

    public static ErrorContext of(String component, String operation, String symbol, String timeframe) {
        return new ErrorContext(component, operation, symbol, timeframe, Map.of(), null);
    }
}
