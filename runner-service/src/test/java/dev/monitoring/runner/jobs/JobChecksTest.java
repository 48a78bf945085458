package dev.monitoring.runner.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.model.ChannelsConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner declares a check per job in Redis, in the shape of the monitor's check API. */
@QuarkusTest
class JobChecksTest {
    @Inject
    JobChecks jobChecks;
    @Inject
    JobCatalog catalog;
    @Inject
    RedisDataSource redis;
    @Inject
    ChannelsConfig channels;

    private List<JobDefinition> original;

    @AfterEach
    void restore() {
        if (original != null) {
            catalog.replace(original);
        }
    }

    @Test
    void eachJobIsDeclaredWithItsCronAndTheLongestAnExecutionWithItsRetriesCanTake() throws Exception {
        original = catalog.jobs();
        catalog.replace(List.of(
                TestJobs.shell("nightly-export", "true", Duration.ofSeconds(5), 3, null, null),
                TestJobs.demo("quick", Duration.ofMillis(10), 0, List.of())));
        redis.execute("DEL", channels.runnerChecks());

        jobChecks.declare();

        JsonNode checks = new ObjectMapper().readTree(redis.execute("GET", channels.runnerChecks()).toString()).get("checks");
        assertThat(checks).hasSize(2);
        JsonNode export = checks.get(0);
        assertThat(export.get("name").asText()).isEqualTo("nightly-export");
        assertThat(export.get("schedule").asText()).isEqualTo("* * * * * ?");
        assertThat(export.get("timezone").asText()).isEqualTo("UTC");
        assertThat(export.get("grace_seconds").asLong()).isEqualTo(300);
        // 3 attempts of 5 s, and 100 ms then 200 ms of backoff between them: 15.3 s, rounded up
        assertThat(export.get("max_runtime_seconds").asLong()).isEqualTo(16);
        assertThat(checks.get(1).get("max_runtime_seconds").asLong()).isEqualTo(30);
    }
}
