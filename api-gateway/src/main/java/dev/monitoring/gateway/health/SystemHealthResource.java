package dev.monitoring.gateway.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.downstream.DownstreamWatch;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.MonitorProbes;
import dev.monitoring.gateway.downstream.RunnerClient;
import dev.monitoring.gateway.downstream.RunnerProbes;
import dev.monitoring.gateway.live.LiveSubscription;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One answer for the whole system, gathered concurrently with a timeout per part: a part that
 * does not answer is reported DOWN instead of holding the answer back.
 */
@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("viewer")
@Tag(name = "health", description = "The whole system's health in one answer")
public class SystemHealthResource {
    private final MonitorClient monitor;
    private final MonitorProbes monitorProbes;
    private final RunnerProbes runnerProbes;
    private final ReactiveRedisDataSource redis;
    private final LiveSubscription subscription;
    private final DownstreamWatch watch;
    private final ObjectMapper mapper;
    private final Duration timeout;

    public SystemHealthResource(@RestClient MonitorClient monitor, @RestClient MonitorProbes monitorProbes,
            @RestClient RunnerProbes runnerProbes, ReactiveRedisDataSource redis, LiveSubscription subscription, DownstreamWatch watch, ObjectMapper mapper,
            GatewayConfig config) {
        this.monitor = monitor;
        this.monitorProbes = monitorProbes;
        this.runnerProbes = runnerProbes;
        this.redis = redis;
        this.subscription = subscription;
        this.watch = watch;
        this.mapper = mapper;
        this.timeout = config.downstream().timeout();
    }

    @GET
    @Operation(summary = "Readiness of each service, Redis, PostgreSQL, the subscriptions and the error health colour",
            description = "status is UP when every part is UP, DOWN when this gateway cannot reach Redis, DEGRADED otherwise. Always 200: it is a report, the probes are /q/health/* on each service's management port")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SystemHealth.class)))
    public Uni<SystemHealth> health() {
        Uni<JsonNode> monitorReady = json(monitorProbes.readiness());
        Uni<JsonNode> runnerReady = json(runnerProbes.readiness());
        Uni<JsonNode> errorHealth = json(monitor.errorHealth());
        Uni<Boolean> redisUp = redis.execute("PING").map(r -> true)
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(false);
        return Uni.combine().all().unis(monitorReady, runnerReady, errorHealth, redisUp)
                .with((m, r, e, up) -> assemble(m, r, e, up));
    }

    private SystemHealth assemble(JsonNode monitorReady, JsonNode runnerReady, JsonNode errorHealth, boolean redisUp) {
        ObjectNode services = mapper.createObjectNode();
        services.set(MonitorClient.SERVICE, service(monitorReady));
        services.set(RunnerClient.SERVICE, service(runnerReady));
        ObjectNode gateway = mapper.createObjectNode();
        gateway.put("status", subscription.subscribed() ? "UP" : "DOWN");
        gateway.put("subscribed_since", String.valueOf(subscription.since()));
        services.set("api-gateway", gateway);

        ObjectNode redisPart = mapper.createObjectNode().put("status", redisUp ? "UP" : "DOWN");
        JsonNode postgresCheck = check(monitorReady, "postgres");
        ObjectNode postgres = mapper.createObjectNode()
                .put("status", postgresCheck == null ? "UNKNOWN" : postgresCheck.path("status").asText("UNKNOWN"))
                .put("source", "monitor-service readiness");
        JsonNode monitorSubscription = check(monitorReady, "redis-subscription");

        boolean allUp = redisUp && subscription.subscribed()
                && "UP".equals(services.path(MonitorClient.SERVICE).path("status").asText())
                && "UP".equals(services.path(RunnerClient.SERVICE).path("status").asText());
        String status = !redisUp ? "DOWN" : allUp ? "UP" : "DEGRADED";
        return new SystemHealth(status, Instant.now().toString(), services, redisPart, postgres,
                monitorSubscription, errorHealth, downstream());
    }

    /** The watcher's view: unlike {@code services}, it knows since when a service is down. */
    private ObjectNode downstream() {
        ObjectNode all = mapper.createObjectNode();
        watch.states().forEach((service, state) -> all.putObject(service)
                .put("status", state.state().name())
                .put("since", state.since().toString())
                .put("checked_at", state.checkedAt() == null ? null : state.checkedAt().toString())
                .put("down_seconds", state.downSeconds())
                .put("alerted", state.alerted()));
        return all;
    }

    private ObjectNode service(JsonNode readiness) {
        if (readiness == null) {
            return mapper.createObjectNode().put("status", "DOWN").put("reason", "unreachable or too slow");
        }
        ObjectNode part = mapper.createObjectNode();
        part.put("status", readiness.path("status").asText("DOWN"));
        part.set("checks", readiness.path("checks"));
        return part;
    }

    private static JsonNode check(JsonNode readiness, String nameContains) {
        if (readiness == null) {
            return null;
        }
        for (JsonNode check : readiness.path("checks")) {
            if (check.path("name").asText().toLowerCase(Locale.ROOT).contains(nameContains)) {
                return check;
            }
        }
        return null;
    }

    /** The body of a downstream answer (readiness is 503 with a body when DOWN), or null when it did not answer. */
    private Uni<JsonNode> json(Uni<Response> call) {
        return call.ifNoItem().after(timeout).fail()
                .map(response -> {
                    try {
                        return mapper.readTree(response.readEntity(String.class));
                    } catch (Exception e) {
                        return (JsonNode) null;
                    }
                })
                .onFailure().recoverWithNull();
    }
}
