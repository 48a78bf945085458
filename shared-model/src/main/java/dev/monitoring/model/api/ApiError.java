package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every error answer: {@code {"error": reason}}, and the query parameter at fault when there is one. */
@Schema(name = "ApiError")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(@Schema(example = "'limit' must be between 1 and 1000, got 5000") String error,
                       @Schema(example = "limit", nullable = true) String parameter) {
    public static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
