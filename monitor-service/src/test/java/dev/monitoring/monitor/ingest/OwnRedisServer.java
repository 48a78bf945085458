package dev.monitoring.monitor.ingest;

import dev.monitoring.testsupport.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * A redis-server owned by the test, on a free port, so killing its pub/sub clients or restarting
 * it never disturbs the shared Redis. Static because the test needs to stop and start it.
 */
public class OwnRedisServer implements QuarkusTestResourceLifecycleManager {
    private static RedisServer redis;

    /** Points the app at the test-owned Redis, with a first retry slow enough for a test to see the DOWN state. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnRedisServer.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monitoring.reconnect.initial-delay", "1s",
                    "monitoring.reconnect.max-delay", "2s");
        }
    }

    @Override
    public Map<String, String> start() {
        redis = RedisServer.onFreePort().start();
        return Map.of("quarkus.redis.hosts", redis.url());
    }

    @Override
    public void stop() {
        redis.stop();
    }

    public static int port() {
        return redis.port();
    }

    public static void startServer() {
        redis.start();
    }

    public static void stopServer() {
        redis.stop();
    }
}
