package dev.monitoring.gateway.security;

import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.model.LogText;
import dev.monitoring.model.OncePer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logout on the server, for every replica. The session cookie holds only the user and its expiry (Quarkus's form
 * login), and it is renewed as it is used, so a copied cookie lives on in a chain of its own. A logout therefore
 * records in Redis, under {@code <prefix>:session-revoked:<user>}, the time it happened; every session cookie of that
 * user issued up to then is refused by every replica (401) until it would have expired anyway (the key's TTL is the
 * session timeout). The user's next login gets a cookie issued after that time, which works. This ends every
 * dashboard session of the user, on every browser: the users are shared accounts, and a renewed copy of a cookie
 * cannot be told apart from the original.
 *
 * <p>Open WebSockets of a revoked session are closed (1008 "logged out"): at once on the replica that handled the
 * logout, and within {@code gateway.security.revocation-check-interval} on the others, which look up the revocation
 * of the users of their cookie-authenticated WebSockets. Redis unreachable: cookies are accepted (fail open, with a
 * warning and {@code gateway_session_check_unavailable_total}), and a logout answers 503.
 */
@ApplicationScoped
public class SessionRevocations {
    /** Keeps the latest revocation time, with the session timeout as TTL. */
    private static final String REVOKE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local at = math.max(current, tonumber(ARGV[1]))
            redis.call('SET', KEYS[1], string.format('%d', at), 'PX', ARGV[2])
            return string.format('%d', at)""";

    /** A WebSocket opened with a session cookie. */
    private record Socket(SessionCookies.Session session, Runnable close) {
    }

    private final ReactiveRedisDataSource redis;
    private final GatewayConfig.Security config;
    private final SessionCookies cookies;
    private final Vertx vertx;
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final Counter unavailable;
    private final Counter closedSockets;
    private final OncePer warning = new OncePer(Duration.ofMinutes(1));
    private volatile long timer = -1;
    private volatile boolean checking;

    public SessionRevocations(ReactiveRedisDataSource redis, GatewayConfig config, SessionCookies cookies, Vertx vertx,
            MeterRegistry registry) {
        this.redis = redis;
        this.config = config.security();
        this.cookies = cookies;
        this.vertx = vertx;
        this.unavailable = Counter.builder("gateway.session.check.unavailable")
                .description("Session cookies accepted without the revocation check because Redis did not answer")
                .register(registry);
        this.closedSockets = Counter.builder("gateway.session.websockets.closed")
                .description("WebSockets closed because their session was logged out").register(registry);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.revocationCheckInterval().toMillis(), id -> checkSockets());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    String key(String user) {
        return config.keyPrefix() + ":session-revoked:" + user;
    }

    /** Whether the session was logged out (its user logged out after it was issued); false when Redis does not answer. */
    public Uni<Boolean> isRevoked(SessionCookies.Session session) {
        return redis.execute("GET", key(session.user()))
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(answer -> answer != null && session.issuedAt() <= answer.toLong())
                .onFailure().recoverWithItem(failure -> {
                    redisAway(failure);
                    return false;
                });
    }

    /**
     * Revokes every session of the user issued up to now, on every replica, and closes this replica's WebSockets of
     * them (the others close theirs at their next check). Fails when Redis does not answer.
     */
    public Uni<Void> revoke(String user) {
        long now = System.currentTimeMillis();
        return redis.execute("EVAL", REVOKE, "1", key(user), String.valueOf(now),
                        String.valueOf(cookies.timeout().toMillis()))
                .ifNoItem().after(config.redisTimeout()).fail()
                .invoke(answer -> closeSockets(user, answer == null ? now : answer.toLong()))
                .replaceWithVoid();
    }

    /** Remembers a WebSocket opened with this session, to close it when the session is revoked. */
    public void opened(String connectionId, SessionCookies.Session session, Runnable close) {
        sockets.put(connectionId, new Socket(session, close));
    }

    public void closed(String connectionId) {
        sockets.remove(connectionId);
    }

    /** Looks up the revocations of the users with cookie WebSockets on this replica and closes the revoked ones. */
    void checkSockets() {
        if (sockets.isEmpty() || checking) {
            return;
        }
        List<String> users = sockets.values().stream().map(s -> s.session().user()).distinct().toList();
        List<String> keys = users.stream().map(this::key).toList();
        checking = true;
        redis.execute("MGET", keys.toArray(String[]::new))
                .ifNoItem().after(config.redisTimeout()).fail()
                .subscribe().with(answer -> {
                    checking = false;
                    for (int i = 0; answer != null && i < users.size(); i++) {
                        Response revokedAt = answer.get(i);
                        if (revokedAt != null) {
                            closeSockets(users.get(i), revokedAt.toLong());
                        }
                    }
                }, failure -> {
                    checking = false;
                    redisAway(failure);
                });
    }

    private void closeSockets(String user, long revokedAt) {
        List<Map.Entry<String, Socket>> revoked = new ArrayList<>();
        sockets.entrySet().forEach(entry -> {
            SessionCookies.Session session = entry.getValue().session();
            if (session.user().equals(user) && session.issuedAt() <= revokedAt) {
                revoked.add(entry);
            }
        });
        for (Map.Entry<String, Socket> entry : revoked) {
            if (sockets.remove(entry.getKey(), entry.getValue())) {
                closedSockets.increment();
                entry.getValue().close().run();
            }
        }
    }

    private void redisAway(Throwable failure) {
        unavailable.increment();
        if (warning.due()) {
            Log.warnf("session revocation check unavailable (Redis: %s): session cookies are accepted without it until "
                    + "Redis answers", LogText.safe(String.valueOf(failure)));
        }
    }
}
