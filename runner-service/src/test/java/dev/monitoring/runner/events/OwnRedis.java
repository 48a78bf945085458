package dev.monitoring.runner.events;

import dev.monitoring.testsupport.RedisServer;
import dev.monitoring.testsupport.Resp;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A redis-server owned by the test (never the shared one), on a free port, that a test may stop and start.
 * Restarting it first listens on a Unix socket only, so a test subscriber is in place before the runner can
 * reach it again over TCP ({@link #openTcp()}).
 */
public class OwnRedis implements QuarkusTestResourceLifecycleManager {
    static int port;
    private static RedisServer redis;

    /** The test profile that points the runner at this server. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnRedis.class));
        }
    }

    @Override
    public Map<String, String> start() {
        redis = RedisServer.onFreePort().start();
        port = redis.port();
        return Map.of("quarkus.redis.hosts", redis.url());
    }

    @Override
    public void stop() {
        stopServer();
    }

    static Path socket() {
        return redis.socket();
    }

    static void stopServer() {
        redis.kill();
    }

    /** Starts the server again, reachable only through its Unix socket until {@link #openTcp()}. */
    static void restartOnSocketOnly() {
        redis.startOnSocketOnly();
    }

    static void openTcp() {
        String reply;
        try (Resp redis = Resp.unix(socket())) {
            reply = String.valueOf(redis.command("CONFIG", "SET", "port", Integer.toString(port)));
        }
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
}
