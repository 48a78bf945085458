package dev.monitoring.runner.events;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A redis-server owned by the test (never the shared one), on a free port, that a test may stop and start.
 * Restarting it first listens on a Unix socket only, so a test subscriber is in place before the runner can
 * reach it again over TCP ({@link #openTcp()}).
 */
public class OwnRedis implements QuarkusTestResourceLifecycleManager {
    static int port;
    static Path dir;
    private static Process server;

    /** The test profile that points the runner at this server. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnRedis.class));
        }
    }

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
            dir = Files.createTempDirectory("runner-redis");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        startServer(port);
        await().atMost(Duration.ofSeconds(10)).until(OwnRedis::tcpOpen);
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        stopServer();
    }

    static Path socket() {
        return dir.resolve("redis.sock");
    }

    static void stopServer() {
        if (server != null) {
            server.destroyForcibly();
            try {
                server.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Starts the server again, reachable only through its Unix socket until {@link #openTcp()}. */
    static void restartOnSocketOnly() throws IOException {
        Files.deleteIfExists(socket());
        startServer(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket()));
    }

    static void openTcp() throws IOException {
        String reply = RespSubscriber.command(socket(), "CONFIG", "SET", "port", Integer.toString(port));
        if (!"OK".equals(reply)) {
            throw new IllegalStateException("CONFIG SET port: " + reply);
        }
    }

    static boolean tcpOpen() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void startServer(int tcpPort) {
        try {
            server = new ProcessBuilder("redis-server", "--port", Integer.toString(tcpPort), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--unixsocket", socket().toString(), "--unixsocketperm", "700", "--dir", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }
}
