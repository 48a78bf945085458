package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * One error group in depth ({@code /api/errors/groups/{fingerprint}/detail}): its occurrences per hour over the last
 * {@code hours}, its latest errors with their tracebacks, and the symbols and jobs it hits most.
 */
@Schema(name = "ErrorGroupDetail")
public record ErrorGroupDetail(ErrorGroup group,
                               @Schema(example = "24") int hours,
                               @Schema(description = "stored errors per hour, oldest first; hours without one are left out")
                               List<Bucket> occurrences,
                               @Schema(description = "the newest stored errors of the group, newest first") List<ErrorDetail> latest,
                               @Schema(description = "the symbols with the most errors within the hours") List<Count> symbols,
                               @Schema(description = "the jobs (context operation) with the most errors within the hours") List<Count> jobs) {

    @Schema(name = "ErrorGroupBucket")
    public record Bucket(Instant start, long count) {
    }

    @Schema(name = "ErrorGroupCount")
    public record Count(String name, long count) {
    }
}
