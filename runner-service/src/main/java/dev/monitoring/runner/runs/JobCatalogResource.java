package dev.monitoring.runner.runs;

import dev.monitoring.model.api.ApiError;
import dev.monitoring.model.api.CatalogJobs;
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
                    .entity(ApiError.of("'detail' must be admin or left out")).build();
        }
        return Response.ok(catalog(ADMIN_DETAIL.equals(detail))).build();
    }

    /** The catalog; {@code adminDetail}: with the command line and environment of each command job. */
    CatalogJobs catalog(boolean adminDetail) {
        Instant now = Instant.now();
        Map<JobState.Key, JobState> states = repository.loadStates();
        List<CatalogJobs.Job> jobs = catalog.jobs().stream().map(job -> new CatalogJobs.Job(job.name(), job.kind(),
                job.category().wireName(), job.cron(), CronSchedule.next(job.cron(), now).map(Instant::toString).orElse(null),
                nextRun(job, states, now), job.timeout().toMillis() / 1000.0, job.maxAttempts(), job.backoff().toMillis() / 1000.0,
                job.expectedOutput(), job.freshSeconds(), job.staleSeconds(),
                adminDetail && job.command() != null ? job.command().argv() : null,
                adminDetail && job.command() != null ? new TreeMap<>(job.command().env()) : null,
                job.targets().stream().map(t -> {
                    JobState st = states.getOrDefault(JobState.Key.of(job.name(), t), JobState.never(job.name(), t));
                    return new CatalogJobs.Target(t.symbol(), t.timeframe(), st.lastStatus(), text(st.lastAttemptAt()),
                            text(st.lastSuccessAt()), st.consecutiveFailures(), DueJobSelector.dueAt(job, st, now).toString());
                }).toList())).toList();
        return new CatalogJobs(jobs, jobs.size());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
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
