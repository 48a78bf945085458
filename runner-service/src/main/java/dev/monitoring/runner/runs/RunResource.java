package dev.monitoring.runner.runs;

import dev.monitoring.model.api.ApiError;
import dev.monitoring.model.api.RunCancel;
import dev.monitoring.model.api.RunConflict;
import dev.monitoring.model.api.RunHistory;
import dev.monitoring.model.api.RunIdle;
import dev.monitoring.model.api.RunProgress;
import dev.monitoring.model.api.RunStarted;
import dev.monitoring.model.api.RunSummary;
import dev.monitoring.model.api.UnknownJob;
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

import java.util.List;
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
            return Response.status(400).entity(new UnknownJob("unknown job '" + job + "'",
                    catalog.jobs().stream().map(j -> j.name()).toList())).build();
        }
        StartResult result = coordinator.start(Trigger.MANUAL, job, "true".equals(force));
        if (result instanceof StartResult.Started s) {
            return Response.status(202).entity(new RunStarted("started", s.batchRunId(), "/api/runs/current")).build();
        }
        if (result instanceof StartResult.Conflict c) {
            return Response.status(409).entity(new RunConflict(c.reason(), c.reason(), c.activeRunId(),
                    "POST /api/runs?force=true stops the active run of this replica and starts a new one")).build();
        }
        return error(503, ((StartResult.Unavailable) result).reason());
    }

    @GET
    @Path("/current")
    @Operation(summary = "Live progress of the run in progress")
    public Response current() {
        Optional<RunProgress> running = coordinator.current().map(RunViews::progress);
        if (running.isEmpty()) {
            try {
                running = shared.read(); // a run of another replica
            } catch (RuntimeException e) {
                return error(503, "cannot tell whether another replica runs a batch, Redis unreachable: " + e.getMessage());
            }
        }
        return running.isPresent() ? Response.ok(running.get()).build() : Response.ok(RunIdle.NOW).build();
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
                .map(c -> Response.ok(new RunCancel(c.finished() ? "cancelled" : "cancelling", c.batchRunId())).build())
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
        List<RunSummary> runs = repository.recentRuns(limit).stream().map(RunViews::summary).toList();
        return Response.ok(new RunHistory(runs, runs.size(), limit)).build();
    }

    static Response error(int status, String message) {
        return Response.status(status).entity(ApiError.of(message)).build();
    }
}
