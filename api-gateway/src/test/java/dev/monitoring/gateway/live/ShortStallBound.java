package dev.monitoring.gateway.live;

import dev.monitoring.testsupport.Ports;
import dev.monitoring.testsupport.TcpRelay;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * A gateway whose workers are stalled after 2 s without progress, reaching Redis through a {@link TcpRelay}
 * the test can freeze. The monitor and runner are not needed: their URLs point at a closed port.
 */
public class ShortStallBound implements QuarkusTestProfile {
    static final String STALL_AFTER = "2s";
    private static final int REDIS_PORT = 6379;

    @Override
    public Map<String, String> getConfigOverrides() {
        String closed = "http://127.0.0.1:" + Ports.free();
        return Map.of(
                "monitoring.liveness.stall-after", STALL_AFTER,
                "quarkus.rest-client.monitor.url", closed,
                "quarkus.rest-client.monitor-management.url", closed,
                "quarkus.rest-client.runner.url", closed,
                "quarkus.rest-client.runner-management.url", closed);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisRelay.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    /** The relay the gateway reaches Redis through, started before the gateway. */
    public static class RedisRelay implements QuarkusTestResourceLifecycleManager {
        private static TcpRelay relay;

        static TcpRelay relay() {
            return relay;
        }

        @Override
        public Map<String, String> start() {
            relay = new TcpRelay(REDIS_PORT);
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + relay.start());
        }

        @Override
        public void stop() {
            relay.close();
        }
    }
}
