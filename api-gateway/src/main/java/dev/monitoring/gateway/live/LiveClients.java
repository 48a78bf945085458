package dev.monitoring.gateway.live;

import dev.monitoring.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The WebSocket clients connected to this gateway replica, and the broadcast to all of them. */
@ApplicationScoped
public class LiveClients {
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final GatewayConfig.Live config;

    private final LiveMetrics metrics;

    public LiveClients(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config.live();
        this.metrics = LiveMetrics.of(registry);
        Gauge.builder("gateway.ws.clients", sessions, Map::size).description("Connected WebSocket clients").register(registry);
        Gauge.builder("gateway.ws.queued.bytes", this, LiveClients::queuedBytes)
                .description("Bytes held for all WebSocket clients: waiting frames, replies and frames in flight")
                .baseUnit("bytes").register(registry);
    }

    /**
     * Registers a client; the greeting is its first frame, before any broadcast. The session is registered before
     * the greeting leaves, so a client that has its hello misses no broadcast published after it.
     */
    public ClientSession open(String id, Function<String, Uni<Void>> sender, String greeting) {
        return open(id, sender, greeting, List::of);
    }

    /**
     * Like {@link #open(String, Function, String)}, with frames that follow the greeting at once, asked for only once
     * the client is registered: a state announced by broadcast just before then is in them, one announced after
     * reaches the client as a broadcast.
     */
    public ClientSession open(String id, Function<String, Uni<Void>> sender, String greeting, Supplier<List<String>> then) {
        ClientSession session = new ClientSession(id, sender, vertx, config.framesPerSecond(), config.queueCapacity(),
                config.queueBytes().asLongValue(), metrics);
        session.limitMessages(new InboundLimit(config.clientMessagesPerSecond(), System.nanoTime()));
        session.greet(greeting);
        sessions.put(id, session);
        then.get().forEach(session::greet);
        session.flush();
        return session;
    }

    public ClientSession get(String id) {
        return sessions.get(id);
    }

    public void close(String id) {
        ClientSession session = sessions.remove(id);
        if (session != null) {
            session.close();
        }
    }

    public void broadcast(LiveFrame frame) {
        for (ClientSession session : sessions.values()) {
            session.offer(frame);
        }
    }

    public int size() {
        return sessions.size();
    }

    LiveMetrics metrics() {
        return metrics;
    }

    /** The sessions now connected (tests look at one client's queue). */
    Collection<ClientSession> sessions() {
        return sessions.values();
    }

    private double queuedBytes() {
        long total = 0;
        for (ClientSession session : sessions.values()) {
            total += session.queuedBytes();
        }
        return total;
    }
}
