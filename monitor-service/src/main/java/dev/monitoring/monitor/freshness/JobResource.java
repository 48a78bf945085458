package dev.monitoring.monitor.freshness;

import dev.monitoring.model.api.JobStatus;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.api.QueryParams;
import dev.monitoring.monitor.api.Rows;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One row per job, folded over its targets: {@code failure} when any target's latest attempt
 * failed, else {@code running}, else {@code success}, or {@code never} when nothing was attempted.
 * Ordered by job name; {@code limit}/{@code offset} page the (filtered) list, which is whole without them.
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    static final Set<String> STATUSES = Set.of("success", "failure", "running", "never");

    private final FreshnessQueries queries;

    public JobResource(FreshnessQueries queries) {
        this.queries = queries;
    }

    @GET
    public Uni<List<JobStatus>> jobs(@QueryParam("problems") String problems,
                                               @QueryParam("stale_hours") String staleHours,
                                               @QueryParam("status") String status,
                                               @QueryParam("limit") String limit,
                                               @QueryParam("offset") String offset) {
        int pageSize = QueryParams.limit(limit, Integer.MAX_VALUE);
        int skip = QueryParams.offset(offset);
        boolean onlyProblems = QueryParams.bool("problems", problems);
        double staleAfter = QueryParams.positiveNumber("stale_hours", staleHours, 24, 24 * 365);
        if (status != null && !status.isBlank() && !STATUSES.contains(status.trim())) {
            throw new BadParameterException("status", "unknown status '" + status + "' (allowed: success, failure, running, never)");
        }
        return queries.all().map(rows -> {
            Map<String, List<FreshnessRow>> byJob = new TreeMap<>();
            rows.forEach(r -> byJob.computeIfAbsent(r.job(), j -> new ArrayList<>()).add(r));
            Instant now = Instant.now();
            List<JobStatus> result = new ArrayList<>();
            byJob.forEach((job, targets) -> {
                JobStatus row = jobRow(job, targets, now, staleAfter);
                if ((!onlyProblems || row.problem()) && (status == null || status.isBlank() || status.trim().equals(row.status()))) {
                    result.add(row);
                }
            });
            if (skip == 0 && pageSize >= result.size()) {
                return result;
            }
            return new ArrayList<>(result.subList(Math.min(skip, result.size()), (int) Math.min((long) skip + pageSize, result.size())));
        });
    }

    private static JobStatus jobRow(String job, List<FreshnessRow> targets, Instant now, double staleHours) {
        Instant lastUpdated = targets.stream().map(FreshnessRow::lastSuccessAt).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        List<FreshnessRow> failed = targets.stream().filter(t -> "failed".equals(t.lastStatus()))
                .sorted(Comparator.comparing(FreshnessRow::lastAttemptAt, Comparator.nullsLast(Comparator.reverseOrder()))).toList();
        String status = !failed.isEmpty() ? "failure"
                : targets.stream().anyMatch(t -> "running".equals(t.lastStatus())) ? "running"
                : lastUpdated != null ? "success" : "never";
        Double hours = lastUpdated == null ? null : Duration.between(lastUpdated, now).toMillis() / 3_600_000.0;
        return new JobStatus(job, status, lastUpdated, hours != null && hours >= staleHours, Rows.oneDecimal(hours),
                failed.isEmpty() ? null : failed.get(0).lastErrorMessage());
    }
}
