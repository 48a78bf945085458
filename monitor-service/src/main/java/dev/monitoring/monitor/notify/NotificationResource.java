package dev.monitoring.monitor.notify;

import dev.monitoring.model.api.DeliveryRecord;
import dev.monitoring.model.api.ReceiverInfo;
import dev.monitoring.model.api.ReceiverTestResult;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.api.QueryParams;
import dev.monitoring.monitor.notify.receivers.DeliveryResult;
import dev.monitoring.monitor.notify.receivers.Notification;
import dev.monitoring.monitor.notify.receivers.Receiver;
import dev.monitoring.monitor.notify.receivers.Receivers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Delivery status, the receivers (without their secrets) and the test button. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {
    private static final Set<String> STATUSES = Set.of(DeliveryLog.SENT, DeliveryLog.RETRYING, DeliveryLog.FAILED, DeliveryLog.SILENCED);
    private final DeliveryLog log;
    private final Receivers receivers;

    public NotificationResource(DeliveryLog log, Receivers receivers) {
        this.log = log;
        this.receivers = receivers;
    }

    @GET
    @Path("/notifications")
    public List<DeliveryRecord> notifications(@QueryParam("limit") String limit, @QueryParam("status") String status,
                                              @QueryParam("receiver") String receiver) {
        int n = QueryParams.intInRange("limit", limit, 50, 1, 500);
        if (status != null && !STATUSES.contains(status)) {
            throw new BadParameterException("status", "'status' must be one of sent, retrying, failed, silenced");
        }
        return log.recent(n, status, receiver == null || receiver.isBlank() ? null : receiver);
    }

    @GET
    @Path("/receivers")
    public List<ReceiverInfo> receivers() {
        return receivers.all().stream().map(Receiver::describe).toList();
    }

    /** Sends a test notification now, outside the ledger, and answers with what the receiver said (502 when it refused). */
    @POST
    @Path("/receivers/{name}/test")
    public Response test(@PathParam("name") String name) {
        Receiver receiver = receivers.named(name).orElseThrow(NotFoundException::new);
        Instant now = Instant.now();
        Map<String, Object> alert = new LinkedHashMap<>(); // as the receivers get every alert: its JSON, read back
        alert.put("alert_id", "test-" + UUID.randomUUID());
        alert.put("rule", "test");
        alert.put("severity", "info");
        alert.put("message", "Test notification from the monitor to receiver '" + name + "'");
        alert.put("key", "test:" + name);
        alert.put("first_seen", now);
        alert.put("last_seen", now);
        alert.put("count", 1);
        Notification n = new Notification("test-" + UUID.randomUUID(), name, Notification.FIRING, "test", List.of(alert), true);
        DeliveryResult result = receiver.deliver(n);
        log.record(n, result.accepted() ? DeliveryLog.SENT : DeliveryLog.FAILED, 1, result.accepted() ? null : result.detail());
        return Response.status(result.accepted() ? 200 : 502).entity(new ReceiverTestResult(name, receiver.type(), result.accepted(),
                result.statusCode(), result.detail(), result.durationMillis())).build();
    }
}
