package dev.monitoring.gateway.errors;

import dev.monitoring.model.api.ErrorDetail;
import dev.monitoring.model.api.ErrorHealth;
import dev.monitoring.model.api.ErrorStatistics;
import dev.monitoring.model.api.ErrorSummary;
import dev.monitoring.model.api.ErrorTimeline;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.Relay;
import dev.monitoring.gateway.downstream.ServiceUnavailable;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

/** The monitor's error queries, relayed with the monitor's own shapes. */
@Path("/api/errors")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "errors", description = "Stored errors, statistics and error health (owner: monitor-service)")
@APIResponse(responseCode = "503", description = "monitor-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class ErrorsResource {
    private final MonitorClient monitor;
    private final Relay relay;

    public ErrorsResource(@RestClient MonitorClient monitor, Relay relay) {
        this.monitor = monitor;
        this.relay = relay;
    }

    @GET
    @Path("/recent")
    @Operation(summary = "Newest stored errors first", description = "Errors of severity error and critical (the monitor stores those)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ErrorSummary.class)))
    @APIResponse(responseCode = "400", description = "A parameter is out of range; the body names it")
    public Uni<Response> recent(@QueryParam("limit") String limit, @QueryParam("severity") String severity,
            @QueryParam("category") String category, @QueryParam("symbol") String symbol,
            @QueryParam("since") String since) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.recentErrors(limit, severity, category, symbol, since));
    }

    @GET
    @Path("/statistics")
    @Operation(summary = "Error counts by severity and category over the last hours")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErrorStatistics.class)))
    public Uni<Response> statistics(@QueryParam("hours") String hours) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.errorStatistics(hours));
    }

    @GET
    @Path("/health")
    @Operation(summary = "Error health colour of the last 5 minutes")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErrorHealth.class)))
    public Uni<Response> health() {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.errorHealth());
    }

    @GET
    @Path("/timeline")
    @Operation(summary = "Counts of all received errors per time bucket and severity")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErrorTimeline.class)))
    public Uni<Response> timeline(@QueryParam("hours") String hours, @QueryParam("bucket_minutes") String bucketMinutes) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.errorTimeline(hours, bucketMinutes));
    }

    @GET
    @Path("/{error_id}")
    @Operation(summary = "One stored error with traceback and context")
    @APIResponse(responseCode = "404", description = "No stored error with this id")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErrorDetail.class)))
    public Uni<Response> error(@PathParam("error_id") String errorId) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.error(errorId));
    }
}
