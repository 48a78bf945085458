package dev.monitoring.runner.api;

import dev.monitoring.runner.logging.SafeThrowable;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/** Clients get {@code {"error": "..."}} for every failure, never a stack trace; the log keeps the details. */
@Provider
public class JsonErrorMapper implements ExceptionMapper<RuntimeException> {

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return Response.status(status).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", Response.Status.fromStatusCode(status) == null
                            ? "HTTP " + status : Response.Status.fromStatusCode(status).getReasonPhrase()))
                    .build();
        }
        Log.error("Request failed", SafeThrowable.of(e)); // its message may quote the request
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "internal error, see the runner log")).build();
    }
}
