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
import java.util.OptionalLong;

/**
 * 401 and 403 as JSON. The Basic challenge is sent to API clients only: a request made by a
 * browser (it sends {@code Sec-Fetch-Mode}) or by a script marking itself with
 * {@code X-Requested-With} gets the 401 without it, so the dashboard can show its login page
 * instead of the browser's own password dialog.
 */
public class SecurityErrorMappers {
    private static final String LOGIN_ERROR_PAGE = "/login.html?error=1";

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(Exception failure, HttpHeaders headers, HttpServerRequest request) {
        OptionalLong retryAfter = LoginThrottledException.retryAfter(failure);
        if (retryAfter.isPresent()) {
            return throttled(retryAfter.getAsLong(), headers, request);
        }
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

    /**
     * Too many failed logins for the user or from the address: 429 with {@code Retry-After}, for Basic and the login
     * form alike (the form gets a short page linking back to the login page).
     */
    static Response throttled(long seconds, HttpHeaders headers, HttpServerRequest request) {
        Response.ResponseBuilder answer = Response.status(Response.Status.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        if (request.path().endsWith("/j_security_check") && accept != null && accept.contains("text/html")) {
            return answer.type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                    .entity("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many failed logins"
                            + "</title><link rel=\"stylesheet\" href=\"css/dashboard.css\"></head><body class=\"login-page\">"
                            + "<div class=\"card login-box\"><h1>Too many failed logins</h1><p>Try again in " + seconds
                            + " s.</p><p><a href=\"login.html\">Back to the login page</a></p></div></body></html>")
                    .build();
        }
        return answer.type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "too many failed logins: try again later", "retry_after_seconds", seconds))
                .build();
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return Response.status(Response.Status.FORBIDDEN)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "forbidden: this action needs another role"))
                .build();
    }
}
