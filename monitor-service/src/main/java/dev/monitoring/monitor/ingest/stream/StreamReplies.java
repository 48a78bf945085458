package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.model.Channels;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;

/** Reading Redis's stream replies, in RESP2 and RESP3 alike, and one bounded call. */
final class StreamReplies {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private StreamReplies() {
    }

    static Response call(ReactiveRedisDataSource redis, String command, String... args) {
        return redis.execute(command, args).await().atMost(CALL_TIMEOUT);
    }

    /** The event JSON of an entry's fields, null when the entry has none (a foreign XADD). */
    static String payload(Response fields) {
        if (fields == null) {
            return null;
        }
        if (fields.isMap()) {
            Response value = fields.get(Channels.STREAM_FIELD);
            return value == null ? null : value.toString();
        }
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (Channels.STREAM_FIELD.equals(fields.get(i).toString())) {
                Response value = fields.get(i + 1);
                return value == null ? null : value.toString();
            }
        }
        return null;
    }

    /** A field of an XINFO reply, flat key/value array (RESP2, and always inside Lua) or map (RESP3). */
    static Response field(Response reply, String name) {
        if (reply.isMap()) {
            return reply.get(name);
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            if (name.equals(reply.get(i).toString())) {
                return reply.get(i + 1);
            }
        }
        return null;
    }
}
