package dev.monitoring.gateway.security;

import dev.monitoring.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis away must not lock anyone out: the gateway's own throttle and session check, given a Redis that refuses
 * connections or one that accepts them and never answers, let logins and cookies through (counted), within the
 * configured Redis timeout. (The gateway under test keeps its real Redis; these instances get the broken ones.)
 */
@QuarkusTest
class RedisAwayTest {
    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @Inject
    SessionCookies cookies;

    private ReactiveRedisDataSourceImpl redisAt(String url) {
        Redis redis = Redis.createClient(vertx, url);
        return new ReactiveRedisDataSourceImpl(vertx, redis, RedisAPI.api(redis));
    }

    private void failsOpen(String url) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoginThrottle throttle = new LoginThrottle(redisAt(url), config, registry);
        List<String> keys = throttle.keys("viewer", true, "203.0.113.50");

        long start = System.nanoTime();
        throttle.check(keys).await().atMost(Duration.ofSeconds(5));
        throttle.failed(keys).await().atMost(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(registry.find("gateway.login.throttle.unavailable").counter().count()).isEqualTo(2);
        assertThat(registry.find("gateway.login.failures").counter().count()).isEqualTo(1);

        SessionRevocations revocations = new SessionRevocations(redisAt(url), config, cookies,
                vertx.getDelegate(), registry);
        long now = System.currentTimeMillis();
        boolean revoked = revocations.isRevoked(new SessionCookies.Session("viewer", now, now + 60_000))
                .await().atMost(Duration.ofSeconds(5));
        assertThat(revoked).isFalse();
        assertThat(registry.find("gateway.session.check.unavailable").counter().count()).isEqualTo(1);
    }

    @Test
    void aRedisThatRefusesConnectionsLetsLoginsThrough() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        failsOpen("redis://127.0.0.1:" + closedPort);
    }

    @Test
    void aRedisThatNeverAnswersLetsLoginsThroughAfterTheTimeout() throws IOException {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-redis");
            acceptor.setDaemon(true);
            acceptor.start();
            failsOpen("redis://127.0.0.1:" + silent.getLocalPort());
        } finally {
            for (Socket socket : new ArrayList<>(accepted)) {
                socket.close();
            }
        }
    }
}
