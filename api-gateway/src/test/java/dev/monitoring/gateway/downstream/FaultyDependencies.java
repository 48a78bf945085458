package dev.monitoring.gateway.downstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.monitoring.testsupport.Ports;
import dev.monitoring.testsupport.TcpRelay;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A gateway whose dependencies misbehave, each in one known way:
 * <ul>
 *   <li>the monitor is a local HTTP server that accepts every call but answers {@code /api/errors/recent} only after
 *   {@link #SLOW_ANSWER} (longer than the gateway's {@link #TIMEOUT}), and whose readiness says its PostgreSQL is
 *   DOWN;</li>
 *   <li>the runner is a closed port (its process is gone);</li>
 *   <li>Redis is reached through a {@link TcpRelay} the test freezes.</li>
 * </ul>
 * The REST client's own read timeout is lifted above the slow answer, so the only thing that can cut the slow call
 * short is {@code gateway.downstream.timeout}.
 */
public class FaultyDependencies implements QuarkusTestProfile {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final Duration SLOW_ANSWER = Duration.ofSeconds(10);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.downstream.timeout", TIMEOUT.toMillis() + "ms",
                "quarkus.rest-client.read-timeout", String.valueOf(SLOW_ANSWER.toMillis() + 5_000),
                "quarkus.rest-client.runner.url", "http://127.0.0.1:" + Ports.free(),
                "quarkus.rest-client.runner-management.url", "http://127.0.0.1:" + Ports.free());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Stubs.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    /** The slow monitor whose PostgreSQL is down, and the relay to Redis. */
    public static class Stubs implements QuarkusTestResourceLifecycleManager {
        static final String POSTGRES_CHECK = "Reactive PostgreSQL connections health check";
        private static HttpServer monitor;
        private static ExecutorService threads;
        private static TcpRelay redis;

        static TcpRelay redis() {
            return redis;
        }

        @Override
        public Map<String, String> start() {
            try {
                threads = Executors.newCachedThreadPool();
                monitor = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                // Its own threads: a slow answer must not hold up the readiness the gateway asks for meanwhile.
                monitor.setExecutor(threads);
                monitor.createContext("/q/health/ready", exchange -> answer(exchange, 503,
                        "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"" + POSTGRES_CHECK + "\",\"status\":\"DOWN\","
                                + "\"data\":{\"<default>\":\"down - connection refused\"}},"
                                + "{\"name\":\"redis-subscription\",\"status\":\"UP\"}]}"));
                monitor.createContext("/api/errors/health", exchange -> answer(exchange, 200,
                        "{\"status\":\"operational\",\"health\":\"green\",\"criticalErrors\":0,\"errors\":0,\"checkTime\":\""
                                + Instant.now() + "\"}"));
                monitor.createContext("/api/errors/recent", exchange -> {
                    try {
                        Thread.sleep(SLOW_ANSWER.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer(exchange, 200, "[]");
                });
                monitor.start();
                redis = new TcpRelay(6379);
                return Map.of(
                        "quarkus.rest-client.monitor.url", "http://127.0.0.1:" + monitor.getAddress().getPort(),
                        "quarkus.rest-client.monitor-management.url", "http://127.0.0.1:" + monitor.getAddress().getPort(),
                        "quarkus.redis.hosts", "redis://127.0.0.1:" + redis.start());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            if (monitor != null) {
                monitor.stop(0);
            }
            if (threads != null) {
                threads.shutdownNow();
            }
            if (redis != null) {
                redis.close();
            }
        }

        private static void answer(HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes);
            } catch (IOException e) {
                // the gateway gave up on a slow answer and closed the connection
            }
        }
    }
}
