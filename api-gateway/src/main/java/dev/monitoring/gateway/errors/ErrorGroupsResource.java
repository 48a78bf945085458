package dev.monitoring.gateway.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.Relay;
import dev.monitoring.gateway.downstream.RelayedBody;
import dev.monitoring.gateway.downstream.ServiceUnavailable;
import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.model.api.ErrorGroupActivity;
import dev.monitoring.model.api.ErrorGroupDetail;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;


/**
 * Error groups and the workflow on them: viewers list and read, admins resolve, unresolve and ignore. The gateway
 * writes {@code actor} from the logged-in user (a value in the body is replaced), so the activity trail can be trusted.
 */
@Path("/api/errors/groups")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "errors", description = "Stored errors, statistics and error health (owner: monitor-service)")
@APIResponse(responseCode = "503", description = "monitor-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class ErrorGroupsResource {
    /** An action's body is a comment and an ignore's condition; beyond this it is refused before it is parsed. */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final MonitorClient monitor;
    private final Relay relay;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;

    public ErrorGroupsResource(@RestClient MonitorClient monitor, Relay relay, SecurityIdentity identity, ObjectMapper mapper) {
        this.monitor = monitor;
        this.relay = relay;
        this.identity = identity;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "Groups of identical errors (fingerprint), with their state")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ErrorGroup.class)))
    @APIResponse(responseCode = "400", description = "Unknown state or sort, limit out of range; the body names it")
    public Uni<Response> groups(
            @Parameter(description = "unresolved, resolved, regressed, ignored or all (default)") @QueryParam("state") String state,
            @Parameter(description = "matches error type, message, component, job or symbol") @QueryParam("q") String q,
            @QueryParam("component") String component, @QueryParam("category") String category,
            @Parameter(description = "the job (the error context's operation)") @QueryParam("job") String job,
            @Parameter(description = "count (default), last_seen or first_seen") @QueryParam("sort") String sort,
            @Parameter(description = "1..1000, default 100") @QueryParam("limit") String limit) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.errorGroups(state, q, component, category, job, sort, limit));
    }

    @GET
    @Path("/{fingerprint}")
    @Operation(summary = "One error group")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErrorGroup.class)))
    @APIResponse(responseCode = "404", description = "No group with this fingerprint")
    public Uni<Response> group(@PathParam("fingerprint") String fingerprint) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.errorGroup(fingerprint));
    }

    @GET
    @Path("/{fingerprint}/detail")
    @Operation(summary = "One group in depth: occurrences per hour, latest errors with traceback, most hit symbols and jobs")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErrorGroupDetail.class)))
    @APIResponse(responseCode = "404", description = "No group with this fingerprint")
    public Uni<Response> detail(@PathParam("fingerprint") String fingerprint,
                                @Parameter(description = "1..720, default 24") @QueryParam("hours") String hours,
                                @Parameter(description = "latest errors shown, 1..100, default 10") @QueryParam("latest") String latest) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.errorGroupDetail(fingerprint, hours, latest));
    }

    @GET
    @Path("/{fingerprint}/activity")
    @Operation(summary = "Who did what to a group, and what the monitor noticed, newest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ErrorGroupActivity.class)))
    public Uni<Response> activity(@PathParam("fingerprint") String fingerprint, @QueryParam("limit") String limit) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.errorGroupActivity(fingerprint, limit));
    }

    @POST
    @Path("/{fingerprint}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Resolve, unresolve, ignore, merge or unmerge a group",
            description = "Requires the admin role. Body (optional): {\"comment\":...}; for ignore also one or more of "
                    + "until (ISO-8601 instant), more_than, rate_per_hour (none of them ignores forever); for merge "
                    + "{\"into\":\"<fingerprint>\"}: later errors of either group count in that one, until unmerge")
    @APIResponse(responseCode = "200", description = "The group after the action",
            content = @Content(schema = @Schema(implementation = ErrorGroup.class)))
    @APIResponse(responseCode = "400", description = "Unknown action or a bad condition; the body says why")
    @APIResponse(responseCode = "404", description = "No group with this fingerprint")
    public Uni<Response> act(@PathParam("fingerprint") String fingerprint,
                             @Parameter(description = "resolve, unresolve, ignore, merge or unmerge") @PathParam("action") String action,
                             String body) {
        RelayedBody parsed = withActor(body);
        if (parsed.refusal() != null) {
            return Uni.createFrom().item(parsed.refusal());
        }
        return relay.relay(MonitorClient.SERVICE, () -> monitor.actOnErrorGroup(fingerprint, action, parsed.body()));
    }

    @POST
    @Path("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "One action on every group a filter selects (at most 1,000)",
            description = "Requires the admin role. Body: {\"action\":\"resolve\",\"filter\":{\"state\":...,\"q\":...,"
                    + "\"component\":...,\"category\":...,\"job\":...},\"comment\":...}; an empty filter is refused")
    @APIResponse(responseCode = "200", description = "{action, changed, limit, fingerprints}")
    @APIResponse(responseCode = "400", description = "No filter, unknown action or a bad condition; the body says why")
    public Uni<Response> bulk(String body) {
        RelayedBody parsed = withActor(body);
        if (parsed.refusal() != null) {
            return Uni.createFrom().item(parsed.refusal());
        }
        return relay.relay(MonitorClient.SERVICE, () -> monitor.actOnErrorGroups(parsed.body()));
    }

    /** An action's body with actor set to the logged-in user; an empty body is an action without a comment. */
    private RelayedBody withActor(String body) {
        return RelayedBody.read(body == null || body.isBlank() ? "{}" : body, MAX_BODY_CHARS, "body", "actor",
                identity.getPrincipal().getName(), mapper);
    }
}
