package dev.monitoring.monitor.checks;

import dev.monitoring.model.api.ApiError;
import dev.monitoring.model.api.CheckView;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.api.JsonBody;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * Checks: expected jobs and their signals. The gateway lets viewers read them, admins change them, and anyone holding
 * a check's ping key signal it (its {@code /ping/{key}} routes end here).
 */
@Path("/api/checks")
@Produces(MediaType.APPLICATION_JSON)
public class CheckResource {

    private final CheckStore store;
    private final CheckSignals signals;
    private final CheckNews news;

    public CheckResource(CheckStore store, CheckSignals signals, CheckNews news) {
        this.news = news;
        this.store = store;
        this.signals = signals;
    }

    @GET
    public List<CheckView> list() {
        return store.views();
    }

    @GET
    @Path("/{name}")
    public CheckView one(@PathParam("name") String name) {
        return store.view(name).orElseThrow(NotFoundException::new);
    }

    /** The check of a badge key: what the gateway's status badge shows. */
    @GET
    @Path("/badges/{key}")
    public CheckView badge(@PathParam("key") String key) {
        return store.byBadgeKey(key).orElseThrow(NotFoundException::new);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        CheckSpec spec = CheckSpec.parse(JsonBody.parse(body == null ? "" : body), null);
        if (!store.create(spec, "api")) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("a check named '" + spec.name() + "' exists; PUT /api/checks/" + spec.name() + " changes it", "name"))
                    .build();
        }
        news.tell("created", spec.name());
        return Response.status(Response.Status.CREATED).entity(one(spec.name())).build();
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response replace(@PathParam("name") String name, String body) {
        CheckSpec spec = CheckSpec.parse(JsonBody.parse(body == null ? "" : body), name);
        Response declared = declaredElsewhere(name);
        if (declared != null) {
            return declared;
        }
        if (!store.replace(spec)) {
            throw new NotFoundException();
        }
        news.tell("updated", name);
        return Response.ok(one(name)).build();
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        Response declared = declaredElsewhere(name);
        if (declared != null) {
            return declared;
        }
        if (!store.delete(name)) {
            throw new NotFoundException();
        }
        news.tell("deleted", name);
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/{action:pause|resume}")
    public CheckView pause(@PathParam("name") String name, @PathParam("action") String action) {
        if (!store.setPaused(name, "pause".equals(action))) {
            throw new NotFoundException();
        }
        news.tell("pause".equals(action) ? "paused" : "resumed", name);
        return one(name);
    }

    /**
     * 409 for a check of CHECKS_FILE or of the runner's job file: a change through the API would be undone at the next
     * declaration. A check made by auto-provisioning is the API's to change.
     */
    private Response declaredElsewhere(String name) {
        String where = store.source(name).map(s -> switch (s) {
            case "file" -> "CHECKS_FILE";
            case "runner" -> "the runner's job file (JOBS_FILE)";
            default -> null;
        }).orElse(null);
        if (where != null) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("the check '" + name + "' is declared in " + where + "; change it there", "name")).build();
        }
        return null;
    }

    /** A ping of success; the body is the job's output. */
    @POST
    @Path("/pings/{key}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, String> ping(@PathParam("key") String key, @QueryParam("rid") String rid, @QueryParam("name") String name,
                                    String body) {
        return ping(key, "", rid, name, body);
    }

    /** A ping whose {@code what} is start, fail or an exit code; the body is the job's output. */
    @POST
    @Path("/pings/{key}/{what}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, String> ping(@PathParam("key") String key, @PathParam("what") String what, @QueryParam("rid") String rid,
                                    @QueryParam("name") String name, String body) {
        CheckSignals.Signal s = CheckSignals.Signal.ofPing(what, rid == null || rid.isBlank() ? null : cut(rid), body)
                .orElseThrow(() -> new BadParameterException("signal", "a ping is /ping/{key}, /ping/{key}/start, /ping/{key}/fail "
                        + "or /ping/{key}/{exit code 0-255}, not '" + what + "'"));
        String check = signals.ping(key, s, name).orElseThrow(NotFoundException::new);
        return Map.of("check", check, "signal", s.kind().name().toLowerCase() + (s.exitCode() == null ? "" : " " + s.exitCode()));
    }

    private static String cut(String rid) {
        return rid.length() <= 100 ? rid : rid.substring(0, 100);
    }
}
