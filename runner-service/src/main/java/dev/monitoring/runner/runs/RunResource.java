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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Batch runs: start, follow, cancel, history. Blocking endpoints (worker threads): they touch JDBC and Redis. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private static final Pattern RUN_ID = Pattern.compile("[0-9A-Za-z-]{1,64}");
    static final int MAX_LIMIT = 500;

    private final RunCoordinator coordinator;
    private final RunRepository repository;
    private final JobCatalog catalog;
    private final SharedRunProgress shared;

    public RunResource(RunCoordinator coordinator, RunRepository repository, JobCatalog catalog, SharedRunProgress shared) {
        this.coordinator = coordinator;
        this.shared = shared;
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
    public Response current() {
        Optional<Map<String, Object>> running = coordinator.current().map(RunViews::running);
        if (running.isEmpty()) {
            try {
                running = shared.read(); // a run of another replica
            } catch (RuntimeException e) {
                return error(503, "cannot tell whether another replica runs a batch, Redis unreachable: " + e.getMessage());
            }
        }
        return Response.ok(running.orElseGet(() -> {
            Map<String, Object> idle = new LinkedHashMap<>();
            idle.put("status", "idle");
            idle.put("message", "No batch running");
            return idle;
        })).build();
    }

    @POST
    @Path("/current/cancel")
    @Operation(summary = "Cancel the run in progress: its processes are killed, the run is marked cancelled")
    public Response cancel() {
        Optional<RunCoordinator.Cancelled> cancelled;
        try {
            cancelled = coordinator.cancelOnAnyReplica();
        } catch (RuntimeException e) {
            return error(503, "cannot reach the run of another replica, Redis unreachable: " + e.getMessage());
        }
        return cancelled
                .map(c -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", c.finished() ? "cancelled" : "cancelling");
                    body.put("batch_run_id", c.batchRunId());
                    return Response.ok(body).build();
                })
                .orElseGet(() -> error(404, "No batch running"));
    }

    @GET
    @Path("/{batch_run_id}")
    @Operation(summary = "A run with its per-job results")
    public Response run(@PathParam("batch_run_id") String id) {
        // Run ids are UUIDs; anything else (a NUL byte, say, which PostgreSQL refuses) cannot name a run.
        if (!RUN_ID.matcher(id).matches()) {
            return error(404, "no batch run '" + id + "'");
        }
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

    static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
