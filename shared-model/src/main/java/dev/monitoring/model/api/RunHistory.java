package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** {@code GET /api/runs}: the newest batch runs. */
@Schema(name = "RunHistory")
public record RunHistory(List<RunSummary> runs, int count, int limit) {
}
