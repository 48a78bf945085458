package dev.monitoring.gateway.security;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The current user and the end of a form-login session. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "session", description = "Current user and logout")
public class MeResource {
    private final SecurityIdentity identity;

    public MeResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Path("/me")
    @Operation(summary = "The logged-in user and their roles")
    public Me me() {
        List<String> roles = identity.getRoles().stream().sorted().toList();
        return new Me(identity.getPrincipal().getName(), roles);
    }

    @POST
    @Path("/logout")
    @Operation(summary = "End the form-login session (clears the session cookie)")
    public Response logout() {
        FormAuthenticationMechanism.logout(identity);
        return Response.noContent().build();
    }
}
