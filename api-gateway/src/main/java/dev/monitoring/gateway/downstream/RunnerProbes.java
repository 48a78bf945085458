package dev.monitoring.gateway.downstream;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The runner-service's management interface (its own port, never routed from outside): the readiness probe. */
@RegisterRestClient(configKey = "runner-management")
@Produces(MediaType.APPLICATION_JSON)
public interface RunnerProbes {
    @GET
    @Path("/q/health/ready")
    Uni<Response> readiness();
}
