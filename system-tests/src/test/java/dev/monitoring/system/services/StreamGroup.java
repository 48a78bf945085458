package dev.monitoring.system.services;

import dev.monitoring.testsupport.Resp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The monitors' consumer group ("monitor") on a durable stream, seen from outside: who reads, what is pending for whom. */
final class StreamGroup {
    static final String GROUP = "monitor";

    private StreamGroup() {
    }

    /** The consumer name a monitor reads the streams as (its readiness data, check {@code redis-stream}). */
    static String consumerOf(ServiceInstance monitor) {
        for (var check : Http.json(monitor.managementUrl() + "/q/health/ready").path("checks")) {
            if ("redis-stream".equals(check.path("name").asText())) {
                return check.path("data").path("consumer").asText();
            }
        }
        throw new AssertionError(monitor + " has no redis-stream health check");
    }

    /** Entries read by some consumer of the group and not acknowledged (XPENDING summary). */
    static long pending(Resp redis, String stream) {
        return (Long) ((List<?>) redis.command("XPENDING", stream, GROUP)).get(0);
    }

    /** Entries pending for one consumer of the group (XPENDING summary), 0 when it holds none. */
    static long pendingOf(Resp redis, String stream, String consumer) {
        List<?> summary = (List<?>) redis.command("XPENDING", stream, GROUP);
        if (!(summary.get(3) instanceof List<?> consumers)) {
            return 0;
        }
        for (Object c : consumers) {
            List<?> pair = (List<?>) c;
            if (consumer.equals(pair.get(0))) {
                return Long.parseLong(String.valueOf(pair.get(1)));
            }
        }
        return 0;
    }

    /** XINFO STREAM of a stream, by field name. */
    static Map<String, Object> streamInfo(Resp redis, String stream) {
        return fields((List<?>) redis.command("XINFO", "STREAM", stream));
    }

    /** A reply of alternating field names and values (XINFO), by field name. */
    static Map<String, Object> fields(List<?> reply) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            fields.put(String.valueOf(reply.get(i)), reply.get(i + 1));
        }
        return fields;
    }
}
