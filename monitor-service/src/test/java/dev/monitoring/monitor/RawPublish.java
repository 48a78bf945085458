package dev.monitoring.monitor;

import io.quarkus.redis.datasource.RedisDataSource;

/** Test helper: publish raw payloads the way redis-cli would; returns how many subscribers got it. */
public final class RawPublish {
    private RawPublish() {
    }

    public static long publish(RedisDataSource redis, String channel, String payload) {
        return redis.execute("PUBLISH", channel, payload).toLong();
    }
}
