package dev.monitoring.gateway.executions;

import dev.monitoring.model.api.Executions;
import dev.monitoring.model.api.FreshnessReport;
import dev.monitoring.model.api.JobStatus;
import dev.monitoring.model.api.SchedulerHealth;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.Relay;
import dev.monitoring.gateway.downstream.ServiceUnavailable;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The monitor's job, freshness and execution-history queries. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "executions", description = "Jobs, data freshness and batch-run history as seen by the monitor")
@APIResponse(responseCode = "503", description = "monitor-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class ExecutionsResource {
    private final MonitorClient monitor;
    private final Relay relay;

    public ExecutionsResource(@RestClient MonitorClient monitor, Relay relay) {
        this.monitor = monitor;
        this.relay = relay;
    }

    @GET
    @Path("/jobs")
    @Operation(summary = "One row per job: status, last update, staleness",
            description = "problems=true returns failed, stale or never-updated jobs; limit and offset page the list "
                    + "(without them: the whole list)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = JobStatus.class)))
    public Uni<Response> jobs(@QueryParam("problems") String problems, @QueryParam("stale_hours") String staleHours,
            @QueryParam("status") String status, @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.jobs(problems, staleHours, status, limit, offset));
    }

    @GET
    @Path("/freshness")
    @Operation(summary = "Freshness per (job, symbol, timeframe) grouped by fresh/aging/stale/missing",
            description = "limit and offset page each status list; the summary counts every target")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = FreshnessReport.class)))
    public Uni<Response> freshness(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.freshness(limit, offset));
    }

    @GET
    @Path("/executions")
    @Operation(summary = "Recent batch runs with totals and success rate")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Executions.class)))
    public Uni<Response> executions(@QueryParam("limit") String limit) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.executions(limit));
    }

    @GET
    @Path("/scheduler-health")
    @Operation(summary = "Is the scheduler healthy: last run, stale features, recent failures")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SchedulerHealth.class)))
    public Uni<Response> schedulerHealth() {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.schedulerHealth());
    }
}
