package dev.monitoring.gateway.notify;

import dev.monitoring.model.api.SilenceView;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Documentation schema of the body of {@code POST /api/silences}. */
@Schema(name = "SilenceRequest", description = "A new silence; created_by is always the logged-in user, whatever the body says")
public record SilenceRequest(
        @Schema(required = true, type = SchemaType.ARRAY, implementation = SilenceView.Matcher.class) List<SilenceView.Matcher> matchers,
        @Schema(example = "2026-11-30T16:00:00Z", description = "default: now") String starts_at,
        @Schema(example = "2026-11-30T18:00:00Z", description = "required unless cron is given") String ends_at,
        @Schema(required = true, example = "database migration") String comment,
        @Schema(description = "expire the silence once no alert it silences still fires", defaultValue = "false")
        Boolean end_on_resolve,
        @Schema(example = "0 0 2 * * ?", description = "Quartz cron of a recurring maintenance window") String cron,
        @Schema(example = "2h", description = "length of each window (2h, 30m or ISO-8601 PT2H); required with cron")
        String duration) {
}
