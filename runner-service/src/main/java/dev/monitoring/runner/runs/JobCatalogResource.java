package dev.monitoring.runner.runs;

import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.jobs.CronSchedule;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.JobDefinition;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configured jobs with when they run next. A job's command line and environment are admin-only (secrets are
 * passed in argv and env): they are shown only with {@code ?detail=admin}, which the gateway asks for only for a
 * caller with the admin role. The runner itself is internal (not published), the gateway is its door.
 */
@Path("/api/jobs/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class JobCatalogResource {
    /** The value of {@code detail} that adds each command job's {@code command} (argv) and {@code env}. */
    public static final String ADMIN_DETAIL = "admin";

    private final JobCatalog catalog;
    private final RunRepository repository;
    private final RunnerConfig config;

    public JobCatalogResource(JobCatalog catalog, RunRepository repository, RunnerConfig config) {
        this.catalog = catalog;
        this.repository = repository;
        this.config = config;
    }

    @GET
    @Operation(summary = "Configured jobs, their targets, schedule and next scheduled time",
            description = "Without detail, no job's command line nor environment; detail=admin adds them (command, env)")
    public Response catalog(@QueryParam("detail") String detail) {
        if (detail != null && !detail.isEmpty() && !detail.equals(ADMIN_DETAIL)) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "'detail' must be admin or left out")).build();
        }
        return Response.ok(catalog(ADMIN_DETAIL.equals(detail))).build();
    }

    /** The catalog; {@code adminDetail}: with the command line and environment of each command job. */
    Map<String, Object> catalog(boolean adminDetail) {
        Instant now = Instant.now();
        Map<JobState.Key, JobState> states = repository.loadStates();
        List<Map<String, Object>> jobs = catalog.jobs().stream().map(job -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", job.name());
            j.put("kind", job.kind());
            j.put("category", job.category().wireName());
            j.put("cron", job.cron());
            j.put("next_scheduled_at", CronSchedule.next(job.cron(), now).map(Instant::toString).orElse(null));
            j.put("next_run_at", nextRun(job, states, now));
            j.put("timeout_seconds", job.timeout().toMillis() / 1000.0);
            j.put("max_attempts", job.maxAttempts());
            j.put("backoff_seconds", job.backoff().toMillis() / 1000.0);
            j.put("expected_output", job.expectedOutput());
            j.put("fresh_seconds", job.freshSeconds());
            j.put("stale_seconds", job.staleSeconds());
            if (adminDetail && job.command() != null) {
                j.put("command", job.command().argv());
                j.put("env", new TreeMap<>(job.command().env()));
            }
            j.put("targets", job.targets().stream().map(t -> {
                JobState s = states.getOrDefault(JobState.Key.of(job.name(), t), JobState.never(job.name(), t));
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("symbol", t.symbol());
                x.put("timeframe", t.timeframe());
                x.put("last_status", s.lastStatus());
                x.put("last_attempt_at", s.lastAttemptAt() == null ? null : s.lastAttemptAt().toString());
                x.put("last_success_at", s.lastSuccessAt() == null ? null : s.lastSuccessAt().toString());
                x.put("consecutive_failures", s.consecutiveFailures());
                x.put("due_at", DueJobSelector.dueAt(job, s, now).toString());
                return x;
            }).toList());
            return j;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", jobs);
        body.put("count", jobs.size());
        return body;
    }

    /** The first batch-cron firing at or after the earliest due time of the job's targets. */
    private String nextRun(JobDefinition job, Map<JobState.Key, JobState> states, Instant now) {
        String batchCron = config.schedule().cron();
        if (batchCron.isBlank() || batchCron.equalsIgnoreCase("off") || batchCron.equalsIgnoreCase("disabled")) {
            return null;
        }
        Instant due = job.targets().stream()
                .map(t -> DueJobSelector.dueAt(job, states.getOrDefault(JobState.Key.of(job.name(), t),
                        JobState.never(job.name(), t)), now))
                .min(Instant::compareTo).orElse(now);
        Instant from = due.isBefore(now) ? now : due;
        return CronSchedule.next(batchCron, from.minusMillis(1)).map(Instant::toString).orElse(null);
    }
}
