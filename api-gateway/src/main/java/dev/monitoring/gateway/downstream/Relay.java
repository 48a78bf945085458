package dev.monitoring.gateway.downstream;

import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.model.LogText;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Turns a downstream call into the gateway's answer: the owner's status and body as they are
 * (its 4xx included), or a prompt 503 naming the service when it is down or too slow.
 */
@ApplicationScoped
public class Relay {
    private final Duration timeout;

    public Relay(GatewayConfig config) {
        this.timeout = config.downstream().timeout();
    }

    /** The call is made lazily, so that even a request the client cannot build becomes an answer, not a 500. */
    public Uni<Response> relay(String service, Supplier<Uni<Response>> call) {
        return relay(service, call, timeout);
    }

    /** Like {@link #relay(String, Supplier)} for a call known to take longer than the usual bound. */
    public Uni<Response> relay(String service, Supplier<Uni<Response>> call, Duration timeout) {
        return Uni.createFrom().<Response>deferred(call::get).ifNoItem().after(timeout).fail()
                .map(Relay::passThrough)
                .onFailure().recoverWithItem(failure -> unavailable(service, failure));
    }

    private static Response passThrough(Response owner) {
        String body = owner.hasEntity() ? owner.readEntity(String.class) : null;
        MediaType type = owner.getMediaType() != null ? owner.getMediaType() : MediaType.APPLICATION_JSON_TYPE;
        Response.ResponseBuilder answer = Response.status(owner.getStatus()).entity(body).type(type);
        String location = owner.getHeaderString("Location");
        if (location != null) {
            answer.header("Location", publicLocation(location));
        }
        return answer.build();
    }

    /**
     * The owner's {@code Location} without its scheme and host: the gateway serves the same paths, and the internal
     * address of a service (say {@code http://127.0.0.1:8081}) is no business of the client.
     */
    static String publicLocation(String location) {
        try {
            URI uri = new URI(location);
            if (!uri.isAbsolute()) {
                return location;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        } catch (URISyntaxException e) {
            return location;
        }
    }

    static Response unavailable(String service, Throwable failure) {
        // One line, no stack: a down service is an expected condition, not a bug of the gateway. The failure can
        // quote the request, and so the client's own text.
        Log.warnf("%s unavailable: %s", service, LogText.safe(failure.toString()));
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ServiceUnavailable.of(service))
                .build();
    }
}
