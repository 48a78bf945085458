package dev.monitoring.monitor.api;

import dev.monitoring.model.api.ApiError;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/** JSON errors only: a bad parameter names itself, anything unexpected is logged here and never leaks to the client. */
public class ApiErrorMappers {

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return json(Response.Status.BAD_REQUEST.getStatusCode(), new ApiError(e.getMessage(), e.parameter()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(status, ApiError.of(Response.Status.fromStatusCode(status) == null
                ? "HTTP " + status : Response.Status.fromStatusCode(status).getReasonPhrase()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.errorf(e, "Request failed");
        return json(500, ApiError.of("internal error; see the monitor's log"));
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
