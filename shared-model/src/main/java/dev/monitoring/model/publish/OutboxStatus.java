package dev.monitoring.model.publish;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the publisher's outbox looks like now, for health checks and tests.
 *
 * @param dropped   events lost because the outbox was full, since start
 * @param lastError the last Redis failure, null once publishing works again
 */
public record OutboxStatus(int size, int capacity, long dropped, long published,
                           @JsonProperty("redis_reachable") boolean redisReachable,
                           @JsonProperty("last_error") String lastError) {

    public boolean full() {
        return size >= capacity;
    }
}
