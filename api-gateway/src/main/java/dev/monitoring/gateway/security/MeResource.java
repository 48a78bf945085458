package dev.monitoring.gateway.security;

import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The current user and the end of a form-login session. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "session", description = "Current user and logout")
public class MeResource {
    private final SecurityIdentity identity;
    private final SessionCookies cookies;
    private final SessionRevocations revocations;

    public MeResource(SecurityIdentity identity, SessionCookies cookies, SessionRevocations revocations) {
        this.identity = identity;
        this.cookies = cookies;
        this.revocations = revocations;
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
    @Operation(summary = "End the form-login session on every replica",
            description = "Clears the session cookie and revokes, on every gateway replica, every session cookie of "
                    + "the user issued until now (copies included); their open WebSockets are closed. A Basic-auth "
                    + "call has no session: 204 and nothing else.")
    @APIResponse(responseCode = "204", description = "Logged out")
    @APIResponse(responseCode = "503", description = "The cookie was cleared, but the session could not be revoked "
            + "on the server (Redis did not answer)")
    public Uni<Response> logout(HttpServerRequest request, HttpServerResponse response) {
        Cookie cookie = request.getCookie(cookies.cookieName());
        Optional<SessionCookies.Session> session = cookie == null ? Optional.empty() : cookies.read(cookie.getValue());
        // cleared the way Quarkus's own form logout does it, on the Vert.x response
        response.addCookie(Cookie.cookie(cookies.cookieName(), "").setPath("/").setMaxAge(0).setHttpOnly(true)
                .setSecure("https".equalsIgnoreCase(request.scheme())).setSameSite(CookieSameSite.STRICT));
        if (session.isEmpty()) {
            return Uni.createFrom().item(Response.noContent().build());
        }
        return revocations.revoke(session.get().user())
                .map(done -> Response.noContent().build())
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("logout of %s: the session could not be revoked in Redis (%s); the cookie was cleared",
                            session.get().user(), failure.toString());
                    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                            .type(MediaType.APPLICATION_JSON_TYPE)
                            .entity(Map.of("error", "logged out in this browser, but the session could not be revoked "
                                    + "on the server (Redis unavailable)"))
                            .build();
                });
    }
}
