package dev.monitoring.runner.jobs;

import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.runs.DueJobSelector;
import dev.monitoring.runner.runs.JobState;
import dev.monitoring.runner.runs.RunRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured jobs with when they run next. */
@Path("/api/jobs/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class JobCatalogResource {
    private final JobCatalog catalog;
    private final RunRepository repository;
    private final RunnerConfig config;

    public JobCatalogResource(JobCatalog catalog, RunRepository repository, RunnerConfig config) {
        this.catalog = catalog;
        this.repository = repository;
        this.config = config;
    }

    @GET
    @Operation(summary = "Configured jobs, their targets, schedule and next scheduled time")
    public Map<String, Object> catalog() {
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
            if (job.command() != null) {
                j.put("command", job.command().argv());
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
