package dev.monitoring.gateway.checks;

import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.Relay;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The ping routes of checks. No login: the check's secret ping key in the URL is the credential, so a plain
 * {@code curl -fsS -m 10 --retry 3 https://.../ping/KEY} in a crontab works. GET and POST alike; a POST body is the
 * job's output, of which the last 10,000 characters are kept. Answers are one line of plain text, for cron mail. The
 * per-key rate limit is {@link PingRateFilter}'s, ahead of these routes.
 */
@Path("/ping")
@PermitAll
@Produces(MediaType.TEXT_PLAIN)
@Tag(name = "checks", description = "Expected jobs and their pings (owner: monitor-service)")
public class PingResource {
    static final int MAX_OUTPUT_CHARS = 10_000;

    private final MonitorClient monitor;
    private final Relay relay;
    public PingResource(@RestClient MonitorClient monitor, Relay relay) {
        this.monitor = monitor;
        this.relay = relay;
    }

    @GET
    @Path("/{key}")
    @Operation(summary = "Signal a check's success", description = "No login: the ping key is the credential")
    @APIResponse(responseCode = "200", description = "OK: recorded")
    @APIResponse(responseCode = "404", description = "No check has this ping key; nothing is created")
    @APIResponse(responseCode = "429", description = "Over this key's rate (gateway.pings.per-second); other keys are not affected")
    public Uni<Response> success(@PathParam("key") String key, @Parameter(description = "run id pairing a start and its finish")
                                 @QueryParam("rid") String rid,
                                 @Parameter(description = "with auto-provisioning on: the name of the check a new key makes")
                                 @QueryParam("name") String name) {
        return ping(key, null, rid, name, null);
    }

    @POST
    @Path("/{key}")
    @Operation(summary = "Signal a check's success, with the job's output as the body")
    public Uni<Response> successWithOutput(@PathParam("key") String key, @QueryParam("rid") String rid, @QueryParam("name") String name,
                                           String output) {
        return ping(key, null, rid, name, output);
    }

    @GET
    @Path("/{key}/{signal}")
    @Operation(summary = "Signal a check's start, failure or exit code", description = "signal: start, fail, or an exit code 0-255 (0 is success)")
    public Uni<Response> signal(@PathParam("key") String key, @PathParam("signal") String signal, @QueryParam("rid") String rid,
                                @QueryParam("name") String name) {
        return ping(key, signal, rid, name, null);
    }

    @POST
    @Path("/{key}/{signal}")
    @Operation(summary = "Signal a check's start, failure or exit code, with the job's output as the body")
    public Uni<Response> signalWithOutput(@PathParam("key") String key, @PathParam("signal") String signal, @QueryParam("rid") String rid,
                                          @QueryParam("name") String name, String output) {
        return ping(key, signal, rid, name, output);
    }

    private Uni<Response> ping(String key, String signal, String rid, String name, String output) {
        String tail = output == null || output.length() <= MAX_OUTPUT_CHARS ? output : output.substring(output.length() - MAX_OUTPUT_CHARS);
        String body = tail == null ? "" : tail;
        return relay.relay(MonitorClient.SERVICE, () -> signal == null ? monitor.ping(key, rid, name, body) : monitor.ping(key, signal, rid, name, body))
                .map(PingResource::answer);
    }

    private static Response answer(Response monitorAnswer) {
        return switch (monitorAnswer.getStatus()) {
            case 200 -> text(200, "OK").build();
            case 404 -> text(404, "not found: no check has this ping key").build();
            case 400 -> text(400, monitorAnswer.readEntity(String.class).contains("\"parameter\":\"name\"")
                    ? "bad name: 1 to 100 letters, digits and . _ : - (starting with a letter or digit)"
                    : "bad signal: use /ping/KEY, /ping/KEY/start, /ping/KEY/fail or /ping/KEY/EXIT_CODE (0-255)").build();
            case 503 -> text(503, "monitor-service unavailable: retry (curl --retry 3)").build();
            default -> text(502, "monitor-service answered " + monitorAnswer.getStatus()).build();
        };
    }

    private static Response.ResponseBuilder text(int status, String line) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(line + "\n");
    }
}
