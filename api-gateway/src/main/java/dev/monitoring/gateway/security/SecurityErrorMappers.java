package dev.monitoring.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.util.Map;

/**
 * 401 and 403 as JSON. The Basic challenge is sent to API clients only: a request made by a
 * browser (it sends {@code Sec-Fetch-Mode}) or by a script marking itself with
 * {@code X-Requested-With} gets the 401 without it, so the dashboard can show its login page
 * instead of the browser's own password dialog.
 */
public class SecurityErrorMappers {
    private static final String LOGIN_ERROR_PAGE = "/login.html?error=1";

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(HttpHeaders headers, HttpServerRequest request) {
        if (request.path().endsWith("/j_security_check")) {
            // A failed form login goes back to the login page, which shows the error.
            return Response.status(Response.Status.FOUND).location(URI.create(LOGIN_ERROR_PAGE)).build();
        }
        Response.ResponseBuilder answer = Response.status(Response.Status.UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "authentication required", "login", "/login.html"));
        if (headers.getHeaderString("X-Requested-With") == null && headers.getHeaderString("Sec-Fetch-Mode") == null) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"monitoring\"");
        }
        return answer.build();
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return Response.status(Response.Status.FORBIDDEN)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "forbidden: this action needs another role"))
                .build();
    }
}
