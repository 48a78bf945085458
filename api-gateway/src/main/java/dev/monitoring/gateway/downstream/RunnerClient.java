package dev.monitoring.gateway.downstream;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The runner-service's API: batch runs and the job catalog. Bodies are relayed as they are. */
@RegisterRestClient(configKey = "runner")
@Produces(MediaType.APPLICATION_JSON)
public interface RunnerClient {
    String SERVICE = "runner-service";

    @POST
    @Path("/api/runs")
    Uni<Response> startRun(@QueryParam("job") String job, @QueryParam("force") String force);

    @GET
    @Path("/api/runs/current")
    Uni<Response> currentRun();

    @POST
    @Path("/api/runs/current/cancel")
    Uni<Response> cancelCurrentRun();

    @GET
    @Path("/api/runs/{batch_run_id}")
    Uni<Response> run(@PathParam("batch_run_id") String batchRunId);

    @GET
    @Path("/api/runs")
    Uni<Response> runs(@QueryParam("limit") String limit);

    /** The runner's value of {@code detail} that adds each command job's command line and environment. */
    String ADMIN_DETAIL = "admin";

    /** {@code detail}: null for what anyone may see, {@link #ADMIN_DETAIL} for the command lines and environments too. */
    @GET
    @Path("/api/jobs/catalog")
    Uni<Response> jobCatalog(@QueryParam("detail") String detail);
}
