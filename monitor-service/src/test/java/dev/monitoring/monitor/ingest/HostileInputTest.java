package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import dev.monitoring.monitor.ingest.store.StoredText;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Malformed and hostile messages mixed into a fast stream of valid errors: none of them may cost a valid
 * event, crash a batch, take the subscription down or stay on the heap.
 */
@QuarkusTest
class HostileInputTest {
    static final int VALID = 2_000;
    static final int INVALID = 1_000;
    /** Every valid event, NUL and all: PostgreSQL cannot hold NUL, so it is removed from every field (see below). */
    static final int STORED = VALID;
    static final int HUGE = 5;
    static final int ONE_MIB = 1024 * 1024;
    static final int DEPTH = 10_000;
    /** The default heap here is a quarter of 23 GB; the service's own steady state after a GC is ~100 MB. */
    static final long MAX_USED_HEAP_AFTER_GC = 512L * 1024 * 1024;

    static final String SQL = "'; DROP TABLE monitor.error_logs; --";
    static final String HTML = "<img src=x onerror=alert(1)>";
    static final String UNICODE = "RTL \u202Eevil\u202C \u200Fשלום\u200E emoji \uD83D\uDE00 4-byte \uD834\uDD1E \uD841\uDF0E"
            + " combining e\u0301 bom \uFEFF zero-width \u200B";
    static final String NUL = "before\u0000after";
    static final String LONE_SURROGATE = "lone \uD800 high, lone \uDC00 low";

    static final String[] WRONG_TYPES = {
            "{\"error_id\":1,\"error_message\":\"m\"}",
            "{\"error_type\":[],\"error_message\":\"m\"}",
            "{\"error_message\":{}}",
            "{\"error_traceback\":true,\"error_message\":\"m\"}",
            "{\"severity\":5}",
            "{\"category\":7,\"error_message\":\"m\"}",
            "{\"timestamp\":[12],\"error_message\":\"m\"}",
            "{\"timestamp\":1e400,\"error_message\":\"m\"}", // a number is epoch seconds, but this one is out of range
            "{\"context\":\"str\",\"error_message\":\"m\"}",
            "{\"context\":{\"component\":1},\"error_message\":\"m\"}",
            "{\"context\":{\"operation\":[]},\"error_message\":\"m\"}",
            "{\"context\":{\"symbol\":{}},\"error_message\":\"m\"}",
            "{\"context\":{\"timeframe\":false},\"error_message\":\"m\"}",
            "{\"context\":{\"metadata\":\"str\"},\"error_message\":\"m\"}",
    };
    static final String[] NOT_OBJECTS = {"null", "42", "true", "[]", "\"a string \\ud800\"", "1e400"};

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    RedisEventSubscriber subscriber;

    @BeforeEach
    void cleanTables() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
    }

    @Test
    void hostileMessagesAreRejectedWithAReasonAndCostNoValidEvent() {
        String prefix = "hostile-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<Integer, String> hostileById = Map.of(0, SQL, 1, HTML, 2, UNICODE, 3, NUL, 4, LONE_SURROGATE, 5, NUL);
        List<String> payloads = new ArrayList<>();
        List<String> hostileIds = new ArrayList<>();
        int invalid = 0;
        for (int i = 0; i < VALID; i++) {
            String hostile = hostileById.get(i);
            if (hostile == null) {
                payloads.add(event(prefix + i, "valid " + i));
            } else {
                // NUL and lone surrogates in the id would make it unreachable by URL: those two keep a plain id
                String id = i <= 2 ? prefix + i + "-" + hostile : prefix + i;
                hostileIds.add(id);
                payloads.add(i == 5 ? topLevelStringFields(id, hostile) : everyStringField(id, hostile));
            }
            if (i % (VALID / INVALID) == 1) {
                payloads.add(invalid(invalid++, prefix));
            }
        }
        assertThat(invalid).isEqualTo(INVALID);

        long start = System.nanoTime();
        var pubsub = redis.pubsub(String.class);
        // 16 PUBLISH in flight, as a busy producer would (the client's pool queues at most 24 waiters)
        Multi.createFrom().iterable(payloads)
                .onItem().transformToUni(p -> pubsub.publish(channels.errors(), p)).merge(16)
                .collect().last().await().atMost(Duration.ofSeconds(30));
        long published = System.nanoTime();

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", prefix + "%") >= STORED
                        && MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events") >= INVALID);
        System.out.printf("HostileInputTest: published %d messages in %d ms, all written after %d ms%n", payloads.size(),
                (published - start) / 1_000_000, (System.nanoTime() - start) / 1_000_000);

        // exactly once each, nothing invalid stored, nothing valid rejected
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", prefix + "%")).isEqualTo(STORED);
        assertThat(MonitorTables.count(pool, "SELECT count(DISTINCT error_id) FROM monitor.error_logs WHERE error_id LIKE $1", prefix + "%")).isEqualTo(STORED);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs")).isEqualTo(STORED);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events")).isEqualTo(INVALID);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE length(trim(reason)) > 0")).isEqualTo(INVALID);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE octet_length(payload) > $1",
                StoredText.MAX_REJECTED_PAYLOAD_BYTES)).isZero();
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason LIKE 'payload is % bytes, over the limit%'"))
                .isEqualTo(HUGE);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE octet_length(payload) = $1",
                StoredText.MAX_REJECTED_PAYLOAD_BYTES)).isEqualTo(HUGE);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason LIKE 'over a parser limit%'"))
                .isEqualTo(INVALID / 8); // every nesting bomb
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason LIKE 'not storable%'")).isZero();

        // SQL, HTML and unicode come back verbatim, in every field
        assertRoundTrip(hostileIds.get(0), SQL);
        assertRoundTrip(hostileIds.get(1), HTML);
        assertRoundTrip(hostileIds.get(2), UNICODE);
        // PostgreSQL text cannot hold NUL: the service stores the event with the NULs removed, inside context too
        assertRoundTrip(hostileIds.get(3), NUL.replace("\u0000", ""));
        JsonPath nulOutsideContext = given().pathParam("id", hostileIds.get(5))
                .when().get("/api/errors/{id}").then().statusCode(200).extract().jsonPath();
        for (String field : List.of("error_type", "error_message", "error_traceback")) {
            assertThat(nulOutsideContext.getString(field)).as(field).isEqualTo(NUL.replace("\u0000", ""));
        }
        // a lone surrogate has no UTF-8 form: the service stores U+FFFD, the replacement character, in its place
        assertRoundTrip(hostileIds.get(4), LONE_SURROGATE.replace('\uD800', '\uFFFD').replace('\uDC00', '\uFFFD'));

        ManagementInterface.given().when().get("/q/health/ready").then().statusCode(200);
        assertThat(ManagementInterface.given().when().get("/q/health/ready").then().extract().jsonPath()
                .getString("checks.find { it.name == 'redis-subscription' }.status")).isEqualTo("UP");

        // nothing keeps the 1 MiB payloads or the batches: used heap after a GC stays far below the default max heap
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        System.out.printf("HostileInputTest: used heap after GC %d MB (max %d MB)%n", used >> 20, rt.maxMemory() >> 20);
        assertThat(used).isLessThan(MAX_USED_HEAP_AFTER_GC);
    }

    /**
     * Text valid as JSON that PostgreSQL refused, each of which once sent its whole batch down the one-row-at-a-time
     * path: identifiers longer than a btree index entry holds (error_id, symbol, an execution's job and key), lone
     * surrogates in context keys. All of it is stored, nothing is "not storable".
     */
    @Test
    void identifiersTooLongForAnIndexAndLoneSurrogatesInContextKeysAreStored() {
        String prefix = "long-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String longId = prefix + "id-" + "i".repeat(5_000);
        String longSymbol = "S".repeat(5_000);
        String longJob = "job-" + "j".repeat(5_000);
        var pubsub = redis.pubsub(String.class);
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            payloads.add(event(prefix + i, "plain " + i));
        }
        payloads.add("{\"error_id\":" + json(longId) + ",\"severity\":\"error\",\"error_message\":\"long id\"}");
        payloads.add("{\"error_id\":\"" + prefix + "symbol\",\"severity\":\"error\",\"error_message\":\"long symbol\","
                + "\"context\":{\"symbol\":\"" + longSymbol + "\"}}");
        payloads.add("{\"error_id\":\"" + prefix + "key\",\"severity\":\"error\",\"error_message\":\"surrogate key\","
                + "\"context\":{\"metadata\":{\"\\ud800x\\udfff\":\"\\udfff\"}}}");
        for (String p : payloads) {
            pubsub.publish(channels.errors(), p).await().atMost(Duration.ofSeconds(5));
        }
        pubsub.publish(channels.executions(), "{\"event\":\"job.succeeded\",\"execution_id\":\"" + "x".repeat(5_000)
                + "\",\"job\":\"" + longJob + "\",\"symbol\":\"" + longSymbol + "\"}").await().atMost(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", prefix + "%") == 303
                        && MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness") == 1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events")).isZero();
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE length(error_id) <= $1 AND length(symbol) <= $1",
                StoredText.MAX_IDENTIFIER)).as("the long ones cut to the index's size").isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE context->>'symbol' = $1", longSymbol))
                .as("the full symbol stays in the context").isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness WHERE job LIKE 'job-jjj%' AND length(job) <= $1",
                StoredText.MAX_IDENTIFIER)).isEqualTo(1);

        // the same long id again (a stream copy, a retry) is still the same row
        pubsub.publish(channels.errors(), "{\"error_id\":" + json(longId) + ",\"severity\":\"error\",\"error_message\":\"long id\"}")
                .await().atMost(Duration.ofSeconds(5));
        String sentinel = prefix + "sentinel";
        pubsub.publish(channels.errors(), event(sentinel, "after")).await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1", sentinel) == 1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", prefix + "%")).isEqualTo(304);
    }

    private static void assertRoundTrip(String id, String expected) {
        JsonPath json = given().pathParam("id", id)
                .when().get("/api/errors/{id}")
                .then().statusCode(200).extract().jsonPath();
        assertThat(json.getString("error_id")).isEqualTo(id);
        for (String field : List.of("error_type", "error_message", "error_traceback", "component", "operation", "symbol", "timeframe")) {
            assertThat(json.getString(field)).as(field + " of " + id).isEqualTo(expected);
        }
        assertThat(json.getString("context.metadata.note")).as("context.metadata.note of " + id).isEqualTo(expected);
    }

    private static String event(String id, String message) {
        return "{\"error_id\":\"" + id + "\",\"severity\":\"error\",\"category\":\"indicator\",\"error_type\":\"HostileTest\","
                + "\"error_message\":\"" + message + "\",\"context\":{\"component\":\"Hostile\"}}";
    }

    private static String everyStringField(String id, String s) {
        String v = json(s);
        return "{\"error_id\":" + json(id) + ",\"severity\":\"critical\",\"category\":\"database\",\"error_type\":" + v
                + ",\"error_message\":" + v + ",\"error_traceback\":" + v + ",\"context\":{\"component\":" + v
                + ",\"operation\":" + v + ",\"symbol\":" + v + ",\"timeframe\":" + v + ",\"metadata\":{\"note\":" + v + "}}}";
    }

    /** Only the fields outside context: the service keeps those in text columns, not in the jsonb context. */
    private static String topLevelStringFields(String id, String s) {
        String v = json(s);
        return "{\"error_id\":" + json(id) + ",\"severity\":\"critical\",\"error_type\":" + v
                + ",\"error_message\":" + v + ",\"error_traceback\":" + v + "}";
    }

    private static String invalid(int k, String prefix) {
        if (k % (INVALID / HUGE) == 0) {
            return "{\"error_message\":\"" + "x".repeat(ONE_MIB) + "\"}";
        }
        return switch (k % 8) {
            case 0 -> "{not json " + k;
            case 1 -> {
                String whole = event(prefix + "truncated-" + k, "cut");
                yield whole.substring(0, whole.length() / 2);
            }
            case 2 -> k % 16 == 2
                    ? "[".repeat(DEPTH) + "]".repeat(DEPTH)
                    : "{\"a\":".repeat(DEPTH) + "1" + "}".repeat(DEPTH);
            case 3 -> WRONG_TYPES[(k / 8) % WRONG_TYPES.length];
            case 4 -> NOT_OBJECTS[(k / 8) % NOT_OBJECTS.length];
            case 5 -> k % 16 == 5 ? "" : " \t\n ";
            case 6 -> k % 16 == 6 ? "{\"error_message\":\"bad escape \\x\"}" : "{\"error_message\":\"unterminated \\ud800";
            default -> "{\"severity\":" + json(SQL) + ",\"error_message\":" + json(HTML) + "}";
        };
    }

    /** A JSON string literal: valid surrogate pairs go raw (4-byte UTF-8 on the wire), control chars and lone surrogates escaped. */
    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                b.append(c).append(s.charAt(++i));
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
