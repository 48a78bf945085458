package dev.monitoring.gateway.notify;

import dev.monitoring.model.api.SilenceView;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.Relay;
import dev.monitoring.gateway.downstream.RelayedBody;
import dev.monitoring.gateway.downstream.ServiceUnavailable;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;


/**
 * The monitor's silences and maintenance windows: anyone with {@code viewer} reads them, creating and expiring one
 * takes {@code admin}. The gateway writes {@code created_by} itself, from the logged-in user, so the record of who
 * silenced what can be trusted; everything else of the body is the monitor's to validate.
 */
@Path("/api/silences")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "notifications", description = "Silences, maintenance windows, deliveries and receivers (owner: monitor-service)")
@APIResponse(responseCode = "503", description = "monitor-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class SilencesResource {
    /** A silence is a few hundred characters; a body beyond this is refused before it is parsed. */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final MonitorClient monitor;
    private final Relay relay;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;

    public SilencesResource(@RestClient MonitorClient monitor, Relay relay, SecurityIdentity identity, ObjectMapper mapper) {
        this.monitor = monitor;
        this.relay = relay;
        this.identity = identity;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "Silences, newest first", description = "Without state: the ones not expired (active and pending)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = SilenceView.class)))
    @APIResponse(responseCode = "400", description = "Unknown state or limit out of range; the body names it")
    public Uni<Response> silences(
            @Parameter(description = "active, pending, expired or all") @QueryParam("state") String state,
            @Parameter(description = "1..1000, default 100") @QueryParam("limit") String limit) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.silences(state, limit));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Silence matching alerts for a while, or every time a cron window opens",
            description = "Requires the admin role. created_by is set to the logged-in user (a value in the body is replaced)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SilenceRequest.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = SilenceView.class)))
    @APIResponse(responseCode = "400", description = "Not a JSON object, or a field the monitor refuses; the body says why")
    @APIResponse(responseCode = "413", description = "Body longer than 16 KiB")
    public Uni<Response> create(String body) {
        RelayedBody silence = RelayedBody.read(body, MAX_BODY_CHARS, "silence", "created_by", identity.getPrincipal().getName(), mapper);
        if (silence.refusal() != null) {
            return Uni.createFrom().item(silence.refusal());
        }
        return relay.relay(MonitorClient.SERVICE, () -> monitor.createSilence(silence.body()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Expire a silence now", description = "Requires the admin role")
    @APIResponse(responseCode = "200", description = "The silence, now expired",
            content = @Content(schema = @Schema(implementation = SilenceView.class)))
    @APIResponse(responseCode = "404", description = "No silence with this id")
    public Uni<Response> expire(@PathParam("id") String id) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.expireSilence(id));
    }
}
