package dev.monitoring.runner.jobs;

import dev.monitoring.model.Category;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobFileParserTest {

    @Test
    void theSampleFileShipsAndGivesLiveDemoJobsEveryMinute() throws Exception {
        List<JobDefinition> fromRoot = JobCatalog.load(Optional.of(Path.of("jobs.yml").toAbsolutePath().toString()));
        List<JobDefinition> fromClasspath = JobCatalog.load(Optional.empty());

        assertThat(fromClasspath).isEqualTo(fromRoot);
        assertThat(fromRoot).extracting(JobDefinition::kind).contains("demo", "command");
        assertThat(fromRoot).filteredOn(j -> j.cron().equals("0 * * * * ?")).hasSizeGreaterThanOrEqualTo(3);
        JobDefinition prices = fromRoot.get(0);
        assertThat(prices.targets()).hasSize(6).contains(new Target("AAPL", "1d"), new Target("BTC-USD", "1h"));
        assertThat(prices.category()).isEqualTo(Category.NETWORK);
        assertThat(prices.freshSeconds()).isEqualTo(120L);
        assertThat(prices.demo().transientRate()).isEqualTo(0.15);
    }

    @Test
    void readsCommandsDefaultsAndDurations() {
        List<JobDefinition> jobs = parse("""
                defaults: {timeout: 90s, max_attempts: 4, backoff: 500ms, category: database}
                jobs:
                  - name: export
                    command:
                      argv: [sh, -c, "echo records_processed=3"]
                      working_dir: /tmp
                      env: {MODE: full}
                    targets: [{symbol: AAPL, timeframe: 1d}]
                    expected_output: out/*.csv
                    cron: "0 0 * * * ?"
                  - name: quick
                    demo: {duration: 1.5s}
                    timeout: 2m
                """);

        JobDefinition export = jobs.get(0);
        assertThat(export.command().argv()).containsExactly("sh", "-c", "echo records_processed=3");
        assertThat(export.command().env()).containsEntry("MODE", "full");
        assertThat(export.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(export.maxAttempts()).isEqualTo(4);
        assertThat(export.backoffBefore(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(export.backoffBefore(4)).isEqualTo(Duration.ofMillis(2000));
        assertThat(export.category()).isEqualTo(Category.DATABASE);
        assertThat(jobs.get(1).timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(jobs.get(1).demo().duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(jobs.get(1).targets()).containsExactly(Target.NONE);
    }

    @Test
    void rejectsWhatWouldSilentlyNeverRun() {
        assertThatThrownBy(() -> parse("jobs: [{name: a, demo: {}, timout: 5s}]"))
                .hasMessageContaining("unknown key 'timout'").hasMessageContaining("(a)");
        assertThatThrownBy(() -> parse("jobs: [{name: a}]")).hasMessageContaining("exactly one of 'command' or 'demo'");
        assertThatThrownBy(() -> parse("jobs: [{name: a, demo: {}, cron: 'every minute'}]")).hasMessageContaining("invalid cron");
        assertThatThrownBy(() -> parse("jobs: [{name: a, demo: {}, timeout: soon}]")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> parse("jobs: [{name: a, demo: {}}, {name: a, demo: {}}]")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> parse("jobs: [{name: a, demo: {failure_rates: {exception: 2}}}]")).hasMessageContaining("between 0 and 1");
    }

    private static List<JobDefinition> parse(String yaml) {
        InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
        return JobFileParser.parse(in, "test.yml");
    }
}
