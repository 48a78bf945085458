package dev.monitoring.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the gateway itself ({@code gateway.*}); downstream URLs and timeouts are rest-client settings. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The live WebSocket {@code /ws/errors}. */
    Live live();

    /** The gateway's own Redis subscription to the errors, alerts and executions channels. */
    Subscription subscription();

    /** Calls to the monitor and runner services. */
    Downstream downstream();

    interface Live {
        /** Most frames one client receives per second; identical errors beyond it are folded into one frame with a count. */
        @WithDefault("10")
        int framesPerSecond();

        /** Frames waiting for one slow client; on overflow the oldest are dropped and the client told how many. */
        @WithDefault("256")
        int queueCapacity();

        /** How often the error health sent in {@code hello} frames is refreshed from the monitor. */
        @WithDefault("5s")
        Duration healthRefresh();
    }

    interface Subscription {
        /** First wait before resubscribing after the connection to Redis is lost. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest wait between two resubscribe attempts. */
        @WithDefault("10s")
        Duration maxBackoff();
    }

    interface Downstream {
        /** Upper bound of a whole downstream call (on top of the rest client's connect/read timeouts). */
        @WithDefault("4s")
        Duration timeout();
    }
}
