package dev.monitoring.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the gateway itself ({@code gateway.*}); downstream URLs and timeouts are rest-client settings. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The live WebSocket {@code /ws/errors}. */
    Live live();

    /** Calls to the monitor and runner services. */
    Downstream downstream();

    /** Users, login throttling, session revocation and the cross-site checks. */
    Security security();

    /** The ping routes of checks, {@code /ping/{key}}. */
    Pings pings();

    interface Pings {
        /** Pings one key may send per second, on average, to one gateway replica; beyond it they are answered 429. */
        @WithDefault("5")
        double perSecond();

        /** Pings one key may send at once before the rate applies (a start and a finish, a retry). */
        @WithDefault("20")
        int burst();

        /** The address clients ping, written into each check's ping_url; unset: the address the request came to. */
        Optional<String> publicUrl();
    }

    interface Live {
        /**
         * Most frames one client receives per second; identical errors beyond it are folded into one frame with a count.
         * Above 1,000 there is no limit (each limited client keeps one time per frame of its window).
         */
        @WithDefault("10")
        int framesPerSecond();

        /** Frames waiting for one slow client; on overflow the oldest are dropped and the client told how many. */
        @WithDefault("256")
        int queueCapacity();

        /**
         * Memory one client's queues may hold: broadcast frames waiting, replies to its own messages and frames handed
         * to its socket but not yet written, counted at two bytes per character plus a per-frame overhead (about what
         * they take on the heap). Beyond it the oldest waiting frames, then replies that do not fit, are dropped and
         * the client told how many; so a client that never reads costs about this much at most.
         */
        @WithDefault("1M")
        MemorySize queueBytes();

        /**
         * Longest message a client may send (UTF-8 bytes); a longer one is answered with an {@code error} frame and
         * counted. Filters are a few hundred bytes. The transport itself never takes more than 64 KiB per message.
         */
        @WithDefault("4K")
        MemorySize maxMessageSize();

        /**
         * Messages one client may send per second (up to a second's worth at once). Faster, a message waits, and a
         * newer one replaces it; ten times faster within a second, the client is cut off (4008): a client cannot keep
         * its connection's event loop, and the clients sharing it, busy.
         */
        @WithDefault("20")
        int clientMessagesPerSecond();

        /** How often the error health sent in {@code hello} frames is refreshed from the monitor. */
        @WithDefault("5s")
        Duration healthRefresh();
    }

    interface Downstream {
        /** Upper bound of a whole downstream call (on top of the rest client's connect/read timeouts). */
        @WithDefault("4s")
        Duration timeout();

        /** How often the background watcher asks the monitor's and the runner's readiness. */
        @WithDefault("5s")
        Duration pollInterval();

        /**
         * A downstream that is down (readiness not UP) or unreachable for longer than this is announced to every
         * WebSocket client with an {@code alert} frame (rule {@code service_down}), and its recovery afterwards.
         * Shorter outages (a restart) stay quiet; {@code /api/health} shows them either way.
         */
        @WithDefault("30s")
        Duration downAfter();
    }

    interface Security {
        /**
         * The users, by name: a password (plain text, or a bcrypt hash starting with {@code $2a$}, {@code $2b$} or
         * {@code $2y$}) and roles.
         */
        Map<String, User> users();

        /** Failed logins of one user, or from one client address, after which further attempts get 429. */
        @WithDefault("10")
        int maxFailures();

        /** The window failed logins are counted in (from the first failure); the 429s end with it. */
        @WithDefault("60s")
        Duration failureWindow();

        /** Prefix of the gateway's Redis keys (login failures, revoked sessions), shared by all replicas. */
        @WithDefault("gateway")
        String keyPrefix();

        /** Longest wait for Redis on a login or a session check; beyond it the gateway goes on without (fail open). */
        @WithDefault("500ms")
        Duration redisTimeout();

        /** How often each replica closes the WebSockets of sessions logged out on another replica. */
        @WithDefault("2s")
        Duration revocationCheckInterval();

        /** Origins besides the gateway's own allowed to send cookie-authenticated changes and open the WebSocket. */
        Optional<List<String>> allowedOrigins();

        /** {@code max-age} of {@code Strict-Transport-Security}, sent on HTTPS requests only (as seen through the proxy). */
        @WithDefault("P365D")
        Duration hstsMaxAge();

        interface User {
            String password();

            List<String> roles();
        }
    }
}
