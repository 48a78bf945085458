package dev.monitoring.gateway.notify;

import dev.monitoring.model.api.DeliveryRecord;
import dev.monitoring.model.api.ReceiverInfo;
import dev.monitoring.model.api.ReceiverTestResult;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.ReceiverTestClient;
import dev.monitoring.gateway.downstream.Relay;
import dev.monitoring.gateway.downstream.ServiceUnavailable;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;

/** The monitor's delivery ledger and its receivers; sending a test notification takes the admin role. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "notifications", description = "Silences, maintenance windows, deliveries and receivers (owner: monitor-service)")
@APIResponse(responseCode = "503", description = "monitor-service down or too slow",
        content = @Content(schema = @Schema(implementation = ServiceUnavailable.class)))
public class NotificationsResource {
    private final MonitorClient monitor;
    private final ReceiverTestClient receiverTest;
    private final Relay relay;
    private final Duration receiverTestTimeout;

    public NotificationsResource(@RestClient MonitorClient monitor, @RestClient ReceiverTestClient receiverTest, Relay relay,
            @ConfigProperty(name = "quarkus.rest-client." + ReceiverTestClient.CONFIG_KEY + ".read-timeout") long readTimeoutMillis) {
        this.monitor = monitor;
        this.receiverTest = receiverTest;
        this.relay = relay;
        // The whole call may take the read timeout and a little more (connecting, the answer itself).
        this.receiverTestTimeout = Duration.ofMillis(readTimeoutMillis).plusSeconds(1);
    }

    @GET
    @Path("/notifications")
    @Operation(summary = "Notifications sent or being sent to receivers, newest first")
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DeliveryRecord.class)))
    @APIResponse(responseCode = "400", description = "A parameter is out of range; the body names it")
    public Uni<Response> notifications(
            @Parameter(description = "1..500, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "sent, retrying, failed or silenced") @QueryParam("status") String status,
            @Parameter(description = "name of a receiver") @QueryParam("receiver") String receiver) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.notifications(limit, status, receiver));
    }

    @GET
    @Path("/receivers")
    @Operation(summary = "The configured receivers: name, type and target, never their secrets")
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ReceiverInfo.class)))
    public Uni<Response> receivers() {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.receivers());
    }

    @POST
    @Path("/receivers/{name}/test")
    @RolesAllowed("admin")
    @Operation(summary = "Send a test notification to one receiver now",
            description = "Requires the admin role. Waits for the receiver's answer (up to RECEIVER_TEST_TIMEOUT_MS)")
    @APIResponse(responseCode = "200", description = "The receiver accepted it",
            content = @Content(schema = @Schema(implementation = ReceiverTestResult.class)))
    @APIResponse(responseCode = "502", description = "The receiver did not accept it (same body, accepted false)",
            content = @Content(schema = @Schema(implementation = ReceiverTestResult.class)))
    @APIResponse(responseCode = "404", description = "No receiver of this name")
    public Uni<Response> test(@PathParam("name") String name) {
        return relay.relay(MonitorClient.SERVICE, () -> receiverTest.test(name), receiverTestTimeout);
    }
}
