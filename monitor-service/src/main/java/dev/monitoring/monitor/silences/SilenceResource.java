package dev.monitoring.monitor.silences;

import dev.monitoring.model.api.SilenceView;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.api.JsonBody;
import dev.monitoring.monitor.api.QueryParams;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Silences and maintenance windows. The gateway lets only admins make or end them and fills created_by. */
@Path("/api/silences")
@Produces(MediaType.APPLICATION_JSON)
public class SilenceResource {
    private static final Set<String> STATES = Set.of("active", "pending", "expired", "all");
    private final SilenceStore store;

    public SilenceResource(SilenceStore store) {
        this.store = store;
    }

    @GET
    public List<SilenceView> list(@QueryParam("state") String state, @QueryParam("limit") String limit) {
        if (state != null && !STATES.contains(state)) {
            throw new BadParameterException("state", "'state' must be one of active, pending, expired, all");
        }
        int n = QueryParams.limit(limit, 100);
        Instant now = Instant.now();
        return store.list(state, n).stream().map(s -> s.view(now)).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        Silence s = store.create(new SilenceRequest(JsonBody.parse(body)));
        return Response.status(Response.Status.CREATED).entity(s.view(Instant.now())).build();
    }

    @DELETE
    @Path("/{id}")
    public SilenceView expire(@PathParam("id") String id) {
        return store.expire(id).orElseThrow(NotFoundException::new).view(Instant.now());
    }
}
