package dev.monitoring.monitor.checks;

import dev.monitoring.model.ChannelsConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the live dashboards that a check changed or got a signal: {@code {"type":"check","action":...,"check":name}}
 * on the notifications channel. Only the name: the frame reaches viewers, and the check's ping key is a credential;
 * the dashboard asks for the list again. Not waited for: a dashboard that misses it catches up on its next refresh.
 */
@ApplicationScoped
public class CheckNews {
    private final ReactiveRedisDataSource redis;
    private final String channel;

    public CheckNews(ReactiveRedisDataSource redis, ChannelsConfig channels) {
        this.redis = redis;
        this.channel = channels.notifications();
    }

    void tell(String action, String check) {
        String frame = new JsonObject().put("type", "check").put("action", action).put("check", check).encode();
        redis.pubsub(String.class).publish(channel, frame).subscribe().with(
                receivers -> { },
                failure -> Log.debugf("Live dashboards not told of check %s: %s", check, failure.getMessage()));
    }
}
