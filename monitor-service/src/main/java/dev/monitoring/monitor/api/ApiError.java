package dev.monitoring.monitor.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every error answer: {@code {"error": reason}}, and the query parameter at fault when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String parameter) {
    public static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
