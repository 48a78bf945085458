package dev.monitoring.gateway.live;

import com.sun.net.httpserver.HttpServer;
import dev.monitoring.testsupport.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A gateway whose monitor is a small local HTTP server the test stops and starts again, whose runner is a closed port
 * (unreachable from the start), and which announces an outage after 2 s, polling every 250 ms.
 */
public class DownstreamStubs implements QuarkusTestProfile {
    static final String DOWN_AFTER = "2s";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.downstream.down-after", DOWN_AFTER,
                "gateway.downstream.poll-interval", "250ms",
                "quarkus.rest-client.runner.url", "http://127.0.0.1:" + Ports.free(),
                "quarkus.rest-client.runner-management.url", "http://127.0.0.1:" + Ports.free());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Monitor.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    /** A monitor-service that answers its readiness and error health, and can go away and come back on its port. */
    public static class Monitor implements QuarkusTestResourceLifecycleManager {
        private static HttpServer server;
        private static int port;

        @Override
        public Map<String, String> start() {
            port = Ports.free();
            up();
            // one stub plays both of the monitor's ports: its API and its management interface
            return Map.of("quarkus.rest-client.monitor.url", "http://127.0.0.1:" + port,
                    "quarkus.rest-client.monitor-management.url", "http://127.0.0.1:" + port);
        }

        @Override
        public void stop() {
            down();
        }

        /** Listens (again) on the same port. */
        static synchronized void up() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/q/health/ready", exchange -> answer(exchange.getResponseBody(), exchange,
                    "{\"status\":\"UP\",\"checks\":[]}"));
            server.createContext("/api/errors/health", exchange -> answer(exchange.getResponseBody(), exchange,
                    "{\"status\":\"operational\",\"health\":\"green\",\"criticalErrors\":0,\"errors\":0,\"checkTime\":\""
                            + Instant.now() + "\"}"));
            server.start();
        }

        /** Stops listening and closes every open connection: the gateway's next call is refused. */
        static synchronized void down() {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }

        private static void answer(OutputStream body, com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (body) {
                body.write(bytes);
            }
        }
    }
}
