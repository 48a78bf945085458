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

    /**
     * Anything else: PostgreSQL refusing or not answering is a 503 that says so (the ingest keeps receiving and
     * stores once it is back); the rest is logged and answered 500. Throwable, not RuntimeException: a failed
     * reactive query fails with the driver's checked exception (a ConnectException), which otherwise reached the
     * client as Quarkus' own error page.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (databaseUnavailable(e)) {
            Log.debugf("Request answered 503, PostgreSQL unavailable: %s", e.getMessage());
            return json(503, ApiError.of("PostgreSQL unavailable: the monitor cannot read what it stored; "
                    + "it keeps receiving and stores once PostgreSQL is back"));
        }
        Log.errorf(e, "Request failed");
        return json(500, ApiError.of("internal error; see the monitor's log"));
    }

    private static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
