package dev.monitoring.gateway.runs;

import dev.monitoring.model.api.CatalogJobs;
import dev.monitoring.model.api.RunCancel;
import dev.monitoring.model.api.RunConflict;
import dev.monitoring.model.api.RunDetail;
import dev.monitoring.model.api.RunHistory;
import dev.monitoring.model.api.RunIdle;
import dev.monitoring.model.api.RunProgress;
import dev.monitoring.model.api.RunStarted;
import dev.monitoring.model.api.UnknownJob;
import dev.monitoring.gateway.downstream.Relay;
import dev.monitoring.gateway.downstream.RunnerClient;
import dev.monitoring.gateway.downstream.ServiceUnavailable;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The runner's batch runs and job catalog; starting and cancelling a run takes the admin role, and so does seeing a
 * job's command line and environment in the catalog (the runner shows them only when asked for its admin detail).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "runs", description = "Batch runs and the job catalog (owner: runner-service)")
@APIResponse(responseCode = "503", description = "runner-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class RunsResource {
    private final RunnerClient runner;
    private final Relay relay;
    private final SecurityIdentity identity;

    public RunsResource(@RestClient RunnerClient runner, Relay relay, SecurityIdentity identity) {
        this.runner = runner;
        this.relay = relay;
        this.identity = identity;
    }

    @POST
    @Path("/runs")
    @RolesAllowed("admin")
    @Operation(summary = "Start a batch run of all due jobs, or of one job", description = "Requires the admin role")
    @APIResponse(responseCode = "202", description = "Started", content = @Content(schema = @Schema(implementation = RunStarted.class)))
    @APIResponse(responseCode = "400", description = "No such job", content = @Content(schema = @Schema(implementation = UnknownJob.class)))
    @APIResponse(responseCode = "409", description = "A run is active and force is false",
            content = @Content(schema = @Schema(implementation = RunConflict.class)))
    public Uni<Response> start(@QueryParam("job") String job, @QueryParam("force") String force) {
        return relay.relay(RunnerClient.SERVICE, () -> runner.startRun(job, force));
    }

    @GET
    @Path("/runs/current")
    @Operation(summary = "Live progress of the current run, or idle")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(oneOf = {RunProgress.class, RunIdle.class})))
    public Uni<Response> current() {
        return relay.relay(RunnerClient.SERVICE, () -> runner.currentRun());
    }

    @POST
    @Path("/runs/current/cancel")
    @RolesAllowed("admin")
    @Operation(summary = "Cancel the current run (its processes are killed)", description = "Requires the admin role")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RunCancel.class)))
    public Uni<Response> cancel() {
        return relay.relay(RunnerClient.SERVICE, () -> runner.cancelCurrentRun());
    }

    @GET
    @Path("/runs/{batch_run_id}")
    @Operation(summary = "One finished or running batch run with its per-job results")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RunDetail.class)))
    public Uni<Response> run(@PathParam("batch_run_id") String batchRunId) {
        return relay.relay(RunnerClient.SERVICE, () -> runner.run(batchRunId));
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Run history, newest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RunHistory.class)))
    public Uni<Response> runs(@QueryParam("limit") String limit) {
        return relay.relay(RunnerClient.SERVICE, () -> runner.runs(limit));
    }

    @GET
    @Path("/jobs/catalog")
    @Operation(summary = "The configured jobs with their next scheduled time",
            description = "A job's command line (command) and environment (env) are shown to the admin role only")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CatalogJobs.class)))
    public Uni<Response> catalog() {
        // a viewer gets the runner's catalog without the admin detail: no command line, no environment
        String detail = identity.hasRole("admin") ? RunnerClient.ADMIN_DETAIL : null;
        return relay.relay(RunnerClient.SERVICE, () -> runner.jobCatalog(detail));
    }
}
