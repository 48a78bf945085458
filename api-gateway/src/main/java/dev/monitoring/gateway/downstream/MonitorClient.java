package dev.monitoring.gateway.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The monitor-service's query API. Parameters stay strings so that the monitor, which owns them,
 * validates them and answers its own 400; bodies are relayed as they are.
 */
@RegisterRestClient(configKey = "monitor")
@Produces(MediaType.APPLICATION_JSON)
public interface MonitorClient {
    String SERVICE = "monitor-service";

    @GET
    @Path("/api/errors/recent")
    Uni<Response> recentErrors(@QueryParam("limit") String limit, @QueryParam("severity") String severity,
            @QueryParam("category") String category, @QueryParam("symbol") String symbol,
            @QueryParam("since") String since);

    @GET
    @Path("/api/errors/statistics")
    Uni<Response> errorStatistics(@QueryParam("hours") String hours);

    @GET
    @Path("/api/errors/health")
    Uni<Response> errorHealth();

    @GET
    @Path("/api/errors/groups")
    Uni<Response> errorGroups(@QueryParam("state") String state, @QueryParam("q") String q,
            @QueryParam("component") String component, @QueryParam("category") String category,
            @QueryParam("job") String job, @QueryParam("sort") String sort, @QueryParam("limit") String limit);

    @GET
    @Path("/api/errors/groups/index")
    Uni<Response> errorGroupIndex();

    @GET
    @Path("/api/errors/groups/{fingerprint}")
    Uni<Response> errorGroup(@PathParam("fingerprint") String fingerprint);

    @GET
    @Path("/api/errors/groups/{fingerprint}/detail")
    Uni<Response> errorGroupDetail(@PathParam("fingerprint") String fingerprint, @QueryParam("hours") String hours,
            @QueryParam("latest") String latest);

    @GET
    @Path("/api/errors/groups/{fingerprint}/activity")
    Uni<Response> errorGroupActivity(@PathParam("fingerprint") String fingerprint, @QueryParam("limit") String limit);

    @POST
    @Path("/api/errors/groups/{fingerprint}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> actOnErrorGroup(@PathParam("fingerprint") String fingerprint, @PathParam("action") String action, JsonNode body);

    @POST
    @Path("/api/errors/groups/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> actOnErrorGroups(JsonNode body);

    @GET
    @Path("/api/errors/timeline")
    Uni<Response> errorTimeline(@QueryParam("hours") String hours, @QueryParam("bucket_minutes") String bucketMinutes);

    @GET
    @Path("/api/errors/{error_id}")
    Uni<Response> error(@PathParam("error_id") String errorId);

    @GET
    @Path("/api/jobs")
    Uni<Response> jobs(@QueryParam("problems") String problems, @QueryParam("stale_hours") String staleHours,
            @QueryParam("status") String status, @QueryParam("limit") String limit, @QueryParam("offset") String offset);

    @GET
    @Path("/api/freshness")
    Uni<Response> freshness(@QueryParam("limit") String limit, @QueryParam("offset") String offset);

    @GET
    @Path("/api/executions")
    Uni<Response> executions(@QueryParam("limit") String limit);

    @GET
    @Path("/api/scheduler-health")
    Uni<Response> schedulerHealth();

    @GET
    @Path("/api/alerts")
    Uni<Response> alerts(@QueryParam("limit") String limit);

    @GET
    @Path("/api/rejected")
    Uni<Response> rejected(@QueryParam("limit") String limit);

    @GET
    @Path("/api/dead-letters")
    Uni<Response> deadLetters(@QueryParam("limit") String limit);

    @GET
    @Path("/api/silences")
    Uni<Response> silences(@QueryParam("state") String state, @QueryParam("limit") String limit);

    @POST
    @Path("/api/silences")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> createSilence(JsonNode silence);

    @DELETE
    @Path("/api/silences/{id}")
    Uni<Response> expireSilence(@PathParam("id") String id);

    @GET
    @Path("/api/checks")
    Uni<Response> checks();

    @GET
    @Path("/api/checks/{name}")
    Uni<Response> check(@PathParam("name") String name);

    @GET
    @Path("/api/checks/badges/{key}")
    Uni<Response> checkBadge(@PathParam("key") String key);

    @POST
    @Path("/api/checks")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> createCheck(JsonNode check);

    @PUT
    @Path("/api/checks/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> replaceCheck(@PathParam("name") String name, JsonNode check);

    @DELETE
    @Path("/api/checks/{name}")
    Uni<Response> deleteCheck(@PathParam("name") String name);

    @POST
    @Path("/api/checks/{name}/{action}")
    Uni<Response> pauseOrResumeCheck(@PathParam("name") String name, @PathParam("action") String action);

    @POST
    @Path("/api/checks/pings/{key}")
    @Consumes(MediaType.TEXT_PLAIN)
    Uni<Response> ping(@PathParam("key") String key, @QueryParam("rid") String rid, @QueryParam("name") String name, String output);

    @POST
    @Path("/api/checks/pings/{key}/{what}")
    @Consumes(MediaType.TEXT_PLAIN)
    Uni<Response> ping(@PathParam("key") String key, @PathParam("what") String what, @QueryParam("rid") String rid,
                       @QueryParam("name") String name, String output);

    @GET
    @Path("/api/notifications")
    Uni<Response> notifications(@QueryParam("limit") String limit, @QueryParam("status") String status,
            @QueryParam("receiver") String receiver);

    @GET
    @Path("/api/receivers")
    Uni<Response> receivers();
}
