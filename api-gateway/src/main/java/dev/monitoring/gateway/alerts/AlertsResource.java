package dev.monitoring.gateway.alerts;

import dev.monitoring.model.api.DeadLetter;
import dev.monitoring.model.api.RejectedEvent;
import dev.monitoring.model.api.StoredAlert;
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

/** Alerts raised by the monitor, the events it rejected and the stream entries it could not store. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "alerts", description = "Alerts, rejected events and dead letters (owner: monitor-service)")
@APIResponse(responseCode = "503", description = "monitor-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class AlertsResource {
    private final MonitorClient monitor;
    private final Relay relay;

    public AlertsResource(@RestClient MonitorClient monitor, Relay relay) {
        this.monitor = monitor;
        this.relay = relay;
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "Recent alerts, newest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = StoredAlert.class)))
    public Uni<Response> alerts(@QueryParam("limit") String limit) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.alerts(limit));
    }

    @GET
    @Path("/rejected")
    @Operation(summary = "Events the monitor rejected, with the reason, for producers to fix")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = RejectedEvent.class)))
    public Uni<Response> rejected(@QueryParam("limit") String limit) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.rejected(limit));
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "Stream entries no monitor could store after several deliveries, with the reason, newest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DeadLetter.class)))
    public Uni<Response> deadLetters(@QueryParam("limit") String limit) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.deadLetters(limit));
    }
}
