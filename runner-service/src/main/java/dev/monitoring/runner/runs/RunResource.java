package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.JobCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Batch runs: start, follow, cancel, history. Blocking endpoints (worker threads): they touch JDBC and Redis. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    static final int MAX_LIMIT = 500;

    private final RunCoordinator coordinator;
    private final RunRepository repository;
    private final JobCatalog catalog;

    public RunResource(RunCoordinator coordinator, RunRepository repository, JobCatalog catalog) {
        this.coordinator = coordinator;
        this.repository = repository;
        this.catalog = catalog;
    }

    @POST
    @Operation(summary = "Start a batch run of the due jobs, or of every target of one job")
    public Response start(@QueryParam("job") String job, @QueryParam("force") String force) {
        if (force != null && !force.equals("true") && !force.equals("false")) {
            return error(400, "'force' must be true or false, not '" + force + "'");
        }
        if (job != null && (job.isBlank() || catalog.find(job).isEmpty())) {
            return Response.status(400).entity(Map.of("error", "unknown job '" + job + "'",
                    "known_jobs", catalog.jobs().stream().map(j -> j.name()).toList())).build();
        }
        StartResult result = coordinator.start(Trigger.MANUAL, job, "true".equals(force));
        if (result instanceof StartResult.Started s) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "started");
            body.put("batch_run_id", s.batchRunId());
            body.put("poll_url", "/api/runs/current");
            return Response.status(202).entity(body).build();
        }
        if (result instanceof StartResult.Conflict c) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", c.reason());
            body.put("reason", c.reason());
            body.put("batch_run_id", c.activeRunId());
            body.put("hint", "POST /api/runs?force=true stops the active run of this replica and starts a new one");
            return Response.status(409).entity(body).build();
        }
        return error(503, ((StartResult.Unavailable) result).reason());
    }

    @GET
    @Path("/current")
    @Operation(summary = "Live progress of the run in progress")
    public Map<String, Object> current() {
        return coordinator.current().map(RunResource::running).orElseGet(() -> {
            Map<String, Object> idle = new LinkedHashMap<>();
            idle.put("status", "idle");
            idle.put("message", "No batch running");
            return idle;
        });
    }

    @POST
    @Path("/current/cancel")
    @Operation(summary = "Cancel the run in progress: its processes are killed, the run is marked cancelled")
    public Response cancel() {
        return coordinator.cancel()
                .map(run -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", run.isFinished() ? "cancelled" : "cancelling");
                    body.put("batch_run_id", run.id());
                    return Response.ok(body).build();
                })
                .orElseGet(() -> error(404, "No batch running"));
    }

    @GET
    @Path("/{batch_run_id}")
    @Operation(summary = "A run with its per-job results")
    public Response run(@PathParam("batch_run_id") String id) {
        return repository.findRun(id)
                .map(r -> Response.ok(RunViews.detail(r)).build())
                .orElseGet(() -> error(404, "no batch run '" + id + "'"));
    }

    @GET
    @Operation(summary = "Run history, newest first")
    public Response history(@QueryParam("limit") String limitParam) {
        int limit = 20;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                return error(400, "'limit' must be a whole number between 1 and " + MAX_LIMIT + ", not '" + limitParam + "'");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                return error(400, "'limit' must be between 1 and " + MAX_LIMIT + ", not " + limit);
            }
        }
        List<Map<String, Object>> runs = repository.recentRuns(limit).stream().map(RunViews::summary).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", runs);
        body.put("count", runs.size());
        body.put("limit", limit);
        return Response.ok(body).build();
    }

    private static Map<String, Object> running(BatchRun run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "running");
        body.put("batch_run_id", run.id());
        body.put("started_at", run.startedAt().toString());
        body.put("elapsed_seconds", Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0);
        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("total", run.total());
        jobs.put("completed", run.completed());
        jobs.put("failed", run.failed());
        body.put("jobs", jobs);
        body.put("current_job", run.currentJob());
        body.put("current_portfolio", run.currentTarget());
        body.put("progress_percent", run.progressPercent());
        return body;
    }

    static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
