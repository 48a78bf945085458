package dev.monitoring.gateway.downstream;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The monitor's receiver test, on a client of its own: the monitor answers only once the receiver did (or its own
 * timeout passed), which can take longer than the read timeout of the other queries. A slow receiver must come back
 * as the monitor's 502 with the receiver's reason, not as "monitor-service unavailable".
 */
@RegisterRestClient(configKey = ReceiverTestClient.CONFIG_KEY)
@Produces(MediaType.APPLICATION_JSON)
public interface ReceiverTestClient {
    String CONFIG_KEY = "monitor-receiver-test";

    @POST
    @Path("/api/receivers/{name}/test")
    Uni<Response> test(@PathParam("name") String name);
}
