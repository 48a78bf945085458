package dev.monitoring.gateway.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.Relay;
import dev.monitoring.gateway.downstream.RelayedBody;
import dev.monitoring.gateway.downstream.ServiceUnavailable;
import dev.monitoring.model.api.CheckView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.function.Supplier;

/**
 * Checks: viewers read them, admins make, change, pause and remove them. A check's ping key is a credential (whoever
 * holds it can signal the check), so only admins see {@code ping_key} and {@code ping_url}; the gateway writes the
 * URL, as only it knows the address clients reach it at.
 */
@Path("/api/checks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "checks", description = "Expected jobs and their pings (owner: monitor-service)")
@APIResponse(responseCode = "503", description = "monitor-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class ChecksResource {
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final MonitorClient monitor;
    private final Relay relay;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;
    private final GatewayConfig config;

    @Context
    UriInfo uri;

    public ChecksResource(@RestClient MonitorClient monitor, Relay relay, SecurityIdentity identity, ObjectMapper mapper,
                          GatewayConfig config) {
        this.monitor = monitor;
        this.relay = relay;
        this.identity = identity;
        this.mapper = mapper;
        this.config = config;
    }

    @GET
    @Operation(summary = "Every check with its state now", description = "ping_key and ping_url only for admins")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CheckView.class)))
    public Uni<Response> checks() {
        return withPingUrls(() -> monitor.checks());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One check with its state now")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CheckView.class)))
    @APIResponse(responseCode = "404", description = "No check of this name")
    public Uni<Response> check(@PathParam("name") String name) {
        return withPingUrls(() -> monitor.check(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Make a check", description = "Requires the admin role. Fields: name, schedule (cron) and timezone, or "
            + "period_seconds; grace_seconds (default 300), max_runtime_seconds, min_runtime_seconds, depends_on")
    @APIResponse(responseCode = "201", description = "The check with its ping_key and ping_url",
            content = @Content(schema = @Schema(implementation = CheckView.class)))
    @APIResponse(responseCode = "400", description = "A field the monitor refuses; the body names it")
    @APIResponse(responseCode = "409", description = "A check of this name exists")
    public Uni<Response> create(String body) {
        RelayedBody check = RelayedBody.read(body, MAX_BODY_CHARS, "check", null, null, mapper);
        if (check.refusal() != null) {
            return Uni.createFrom().item(check.refusal());
        }
        return withPingUrls(() -> monitor.createCheck(check.body()));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Change what a check expects", description = "Requires the admin role; its signals and ping key stay")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CheckView.class)))
    @APIResponse(responseCode = "404", description = "No check of this name")
    public Uni<Response> replace(@PathParam("name") String name, String body) {
        RelayedBody check = RelayedBody.read(body, MAX_BODY_CHARS, "check", null, null, mapper);
        if (check.refusal() != null) {
            return Uni.createFrom().item(check.refusal());
        }
        return withPingUrls(() -> monitor.replaceCheck(name, check.body()));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed("admin")
    @Operation(summary = "Remove a check and its runs", description = "Requires the admin role")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No check of this name")
    public Uni<Response> delete(@PathParam("name") String name) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.deleteCheck(name));
    }

    @POST
    @Path("/{name}/{action:pause|resume}")
    @RolesAllowed("admin")
    @Operation(summary = "Pause a check (no alerts, state paused) or resume it", description = "Requires the admin role")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CheckView.class)))
    @APIResponse(responseCode = "404", description = "No check of this name")
    public Uni<Response> pauseOrResume(@PathParam("name") String name, @PathParam("action") String action) {
        return withPingUrls(() -> monitor.pauseOrResumeCheck(name, action));
    }

    /** The monitor's answer with ping_url added for admins, and ping_key and ping_url removed for everyone else. */
    private Uni<Response> withPingUrls(Supplier<Uni<Response>> call) {
        boolean admin = identity.hasRole("admin");
        String base = config.pings().publicUrl().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .orElseGet(() -> uri.getBaseUri().toString().replaceAll("/$", ""));
        return relay.relay(MonitorClient.SERVICE, call).map(answer -> {
            if (answer.getStatus() >= 300 || !(answer.getEntity() instanceof String text)) {
                return answer;
            }
            try {
                JsonNode json = mapper.readTree(text);
                for (JsonNode check : json.isArray() ? json : java.util.List.of(json)) {
                    if (check instanceof ObjectNode o && o.hasNonNull("ping_key")) {
                        if (admin) {
                            o.put("ping_url", base + "/ping/" + o.get("ping_key").asText());
                        } else {
                            o.remove("ping_key");
                            o.remove("ping_url");
                        }
                    }
                }
                return Response.status(answer.getStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(mapper.writeValueAsString(json)).build();
            } catch (Exception e) {
                return answer;
            }
        });
    }
}
