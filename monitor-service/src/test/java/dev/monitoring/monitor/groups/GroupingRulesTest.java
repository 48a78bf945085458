package dev.monitoring.monitor.groups;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.errors.GroupingConfig;
import dev.monitoring.monitor.errors.GroupingRules;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Fingerprint rules from the configuration ({@code %test.monitor.grouping.rules."test-feed-timeouts"}: component
 * GroupingTestFeed and a message containing "timed out") fix grouping without code, through the real ingest.
 */
@QuarkusTest
class GroupingRulesTest {
    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    RedisEventSubscriber subscriber;

    @BeforeEach
    void clean() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
    }

    @Test
    void errorsARuleMatchesShareItsGroupWhateverTheirTypeAndMessage() {
        publish("ConnectionTimeout", "quote feed TIMED OUT after 30 s", "GroupingTestFeed");
        publish("ReadTimeout", "socket read timed out (venue 7)", "GroupingTestFeed");
        publish("ReadTimeout", "socket closed by peer", "GroupingTestFeed"); // no "timed out": grouped as usual
        publish("ReadTimeout", "socket read timed out (venue 7)", "OtherFeed"); // another component: as usual
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs") == 4);

        assertThat(MonitorTables.count(pool, "SELECT count(DISTINCT fingerprint) FROM monitor.error_logs")).isEqualTo(3);
        given().get("/api/errors/groups?sort=count").then().statusCode(200)
                .body("[0].count", equalTo(2)).body("[0].component", equalTo("GroupingTestFeed"));
    }

    @Test
    void aRuleThatNamesNoMatcherRefusesStartUpNamingIt() {
        GroupingConfig.Rule empty = rule(Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> new GroupingRules(() -> Map.of("catch-all", empty)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("catch-all").hasMessageContaining("no matcher");
        GroupingConfig.Rule huge = rule(Optional.of("x".repeat(201)), Optional.empty());
        assertThatThrownBy(() -> new GroupingRules(() -> Map.of("too-long", huge)))
                .hasMessageContaining("too-long").hasMessageContaining("message-contains");
        GroupingRules rules = new GroupingRules(() -> Map.of("b", rule(Optional.of("x"), Optional.empty()),
                "a", rule(Optional.empty(), Optional.of("Feed"))));
        assertThat(rules.names()).isEqualTo(List.of("a", "b"));
    }

    private static GroupingConfig.Rule rule(Optional<String> contains, Optional<String> component) {
        return new GroupingConfig.Rule() {
            public Optional<String> type() {
                return Optional.empty();
            }

            public Optional<String> component() {
                return component;
            }

            public Optional<String> operation() {
                return Optional.empty();
            }

            public Optional<String> messageContains() {
                return contains;
            }
        };
    }

    private void publish(String type, String message, String component) {
        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + UUID.randomUUID() + "\",\"severity\":\"error\","
                + "\"category\":\"network\",\"error_type\":\"" + type + "\",\"error_message\":\"" + message
                + "\",\"context\":{\"component\":\"" + component + "\"}}");
    }
}
