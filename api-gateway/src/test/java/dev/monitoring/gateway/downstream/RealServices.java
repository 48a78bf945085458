package dev.monitoring.gateway.downstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.monitoring.testsupport.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real monitor-service and runner-service (their packaged quarkus-run.jar) as child
 * processes on free loopback ports, with the gateway's test channels and database, waits for
 * their readiness and points the gateway's REST clients at them. Nothing is stubbed.
 *
 * <p>The monitor gets a {@code NOTIFY_FILE} with two webhook receivers and no routes (so no alert of the tests is
 * delivered anywhere): {@link #ACCEPTING_RECEIVER}, a local endpoint that answers 200 and keeps what it was sent, and
 * {@link #REFUSING_RECEIVER}, one that answers 503.
 *
 * <p>A service whose jar is missing or does not become ready is reported (see
 * {@link #failure(String)}) instead of failing the whole class, so the tests that need only the
 * other parts still run; the tests that need it fail with the reason.
 */
public class RealServices implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE = "monitoring_test_gateway";
    public static final String ERRORS = "test.gateway.errors";
    public static final String EXECUTIONS = "test.gateway.executions";
    public static final String ALERTS = "test.gateway.alerts";
    public static final String NOTIFICATIONS = "test.gateway.notifications";
    public static final String ACCEPTING_RECEIVER = "gw-accepting";
    public static final String REFUSING_RECEIVER = "gw-refusing";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Bodies the accepting webhook received, oldest first. */
    private static final List<String> webhookBodies = new CopyOnWriteArrayList<>();

    private static HttpServer webhooks;

    private static ServiceProcess monitor;
    private static ServiceProcess runner;

    public static ServiceProcess monitor() {
        return monitor;
    }

    public static ServiceProcess runner() {
        return runner;
    }

    /** What the accepting receiver was sent so far. */
    public static List<String> webhookBodies() {
        return List.copyOf(webhookBodies);
    }

    /** Why a service is not there, or null when it is up. */
    public static String failure(String service) {
        ServiceProcess p = MonitorClient.SERVICE.equals(service) ? monitor : runner;
        return p == null ? "not started" : p.failure;
    }

    @Override
    public Map<String, String> start() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        monitor = new ServiceProcess(MonitorClient.SERVICE, root.resolve("monitor-service/target/quarkus-app/quarkus-run.jar"),
                Ports.free(), Map.of("NOTIFY_FILE", notifyFile().toString()));
        runner = new ServiceProcess(RunnerClient.SERVICE, root.resolve("runner-service/target/quarkus-app/quarkus-run.jar"),
                Ports.free(), Map.of("RUNNER_CRON", "off", "RUNNER_FULL_RUN", "false",
                        "RUNNER_LOCK_KEY", "test.gateway:batch-run-lock"));
        monitor.launch();
        runner.launch();
        monitor.awaitReady();
        runner.awaitReady();
        return Map.of(
                "quarkus.rest-client.monitor.url", monitor.url(),
                "quarkus.rest-client.monitor-management.url", monitor.managementUrl(),
                "quarkus.rest-client.runner.url", runner.url(),
                "quarkus.rest-client.runner-management.url", runner.managementUrl());
    }

    @Override
    public void stop() {
        if (monitor != null) {
            monitor.kill();
        }
        if (runner != null) {
            runner.kill();
        }
        if (webhooks != null) {
            webhooks.stop(0);
            webhooks = null;
        }
    }

    /** Starts the two webhook endpoints and writes the monitor's NOTIFY_FILE naming them. */
    private static Path notifyFile() {
        try {
            webhooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            webhooks.createContext("/accept", exchange -> {
                webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer(exchange, 200, "{\"ok\":true}");
            });
            webhooks.createContext("/refuse", exchange -> {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 503, "{\"error\":\"down for maintenance\"}");
            });
            webhooks.start();
            String base = "http://127.0.0.1:" + webhooks.getAddress().getPort();
            Path file = Path.of("target", "gateway-notify.yaml").toAbsolutePath();
            Files.writeString(file, "receivers:\n"
                    + "  - name: " + ACCEPTING_RECEIVER + "\n"
                    + "    webhook: { url: \"" + base + "/accept\", timeout: 3s }\n"
                    + "  - name: " + REFUSING_RECEIVER + "\n"
                    + "    webhook: { url: \"" + base + "/refuse\", timeout: 3s }\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    /** One real service as a child process; it can be stopped and started again on the same port. */
    public static final class ServiceProcess {
        private final String name;
        private final Path jar;
        private final int port;
        private final int managementPort = Ports.free();
        private final Map<String, String> extraEnv;
        private Process process;
        private volatile String failure;

        ServiceProcess(String name, Path jar, int port, Map<String, String> extraEnv) {
            this.name = name;
            this.jar = jar;
            this.port = port;
            this.extraEnv = extraEnv;
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        /** Its management interface: the probes and the metrics. */
        public String managementUrl() {
            return "http://127.0.0.1:" + managementPort;
        }

        public String failure() {
            return failure;
        }

        public synchronized void launch() {
            if (!Files.isRegularFile(jar)) {
                failure = name + ": " + jar + " is missing (package it first)";
                return;
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> env = builder.environment();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("HTTP_HOST", "127.0.0.1");
            env.put("PG_DATABASE", DATABASE);
            env.put("CHANNEL_ERRORS", ERRORS);
            env.put("CHANNEL_EXECUTIONS", EXECUTIONS);
            env.put("CHANNEL_ALERTS", ALERTS);
            env.put("CHANNEL_NOTIFICATIONS", NOTIFICATIONS);
            // the monitor's delivery ledger and group keys of its own, apart from any other monitor on this Redis
            env.put("NOTIFY_LEDGER_STREAM", "test.gateway.notifications:ledger");
            env.put("NOTIFY_KEY_PREFIX", "test.gateway.notify");
            env.putAll(extraEnv);
            File log = new File("target/" + name + ".log");
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            try {
                process = builder.start();
                failure = null;
            } catch (IOException e) {
                failure = name + ": cannot start: " + e.getMessage();
            }
        }

        public void awaitReady() {
            if (process == null || failure != null) {
                return;
            }
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    failure = name + ": exited with " + process.exitValue() + " (see target/" + name + ".log)";
                    return;
                }
                if (readinessStatus() == 200) {
                    return;
                }
                try {
                    // Polling an external process: there is no event to wait on.
                    process.waitFor(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            failure = name + ": not ready after " + READY_TIMEOUT.toSeconds() + " s (see target/" + name + ".log)";
        }

        /** Status of /q/health/ready, or -1 when the port does not answer. */
        public int readinessStatus() {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(managementUrl() + "/q/health/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                return c.getResponseCode();
            } catch (IOException e) {
                return -1;
            }
        }

        public synchronized void kill() {
            if (process == null) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        /** Stops the service and starts it again on the same port, waiting until it is ready. */
        public void restart() {
            kill();
            launch();
            awaitReady();
        }
    }
}
