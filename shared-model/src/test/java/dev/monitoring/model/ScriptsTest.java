package dev.monitoring.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's two commands and the CI entry point: present, executable, syntactically valid, and
 * .ci/run runs exactly the README's test command. What they do against Redis and PostgreSQL is
 * exercised by running them (the CI runs .ci/run).
 */
class ScriptsTest {
    private static final Path ROOT = repositoryRoot();

    @ParameterizedTest
    @ValueSource(strings = {"scripts/start.sh", "scripts/test.sh", ".ci/run"})
    void isAnExecutableBashScriptThatParses(String script) throws Exception {
        Path path = ROOT.resolve(script);

        assertThat(path).exists().isExecutable();
        assertThat(Files.readAllLines(path).get(0)).isEqualTo("#!/usr/bin/env bash");
        assertThat(Files.readString(path)).contains("set -euo pipefail");
        assertThat(bash("-n", script).exitCode).as("bash -n %s", script).isZero();
    }

    @Test
    void libraryParses() throws Exception {
        assertThat(bash("-n", "scripts/lib.sh").exitCode).isZero();
    }

    /** start.sh and the bench start every service with these; the tests start theirs with options of their own. */
    @Test
    void defaultJvmOptionsAreAcceptedByTheJvmAndCapTheHeap() throws Exception {
        Result r = bash("-c", "source scripts/lib.sh; java $DEFAULT_JAVA_OPTS -XX:+PrintFlagsFinal -version");

        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).containsPattern("MaxHeapSize +=\\s+268435456\\s")
                .containsPattern("G1PeriodicGCInterval +=\\s+10000\\s");
    }

    @Test
    void ciRunsTheReadmesTestCommandVerbatim() throws IOException {
        List<String> commands = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("set ") && !line.startsWith("cd "))
                .toList();

        assertThat(commands).containsExactly("./scripts/test.sh");
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).map(String::strip)
                .contains("./scripts/test.sh", "./scripts/start.sh");
    }

    @Test
    void testCommandPreparesTheTestDatabasesOfEveryModuleAndRunsMavenVerify() throws IOException {
        String script = Files.readString(ROOT.resolve("scripts/test.sh"));

        assertThat(script).contains("monitoring_test_monitor", "monitoring_test_runner", "monitoring_test_gateway",
                "ensure_postgres", "ensure_redis", "exec ./mvnw -B verify \"$@\"");
    }

    @ParameterizedTest
    @CsvSource({
            "redis://localhost:6379,         localhost 6379",
            "redis://127.0.0.1:6390,         127.0.0.1 6390",
            "redis://user:secret@cache:7000/2, cache 7000",
            "redis://cache,                  cache 6379",
            "redis://cache/1,                cache 6379"})
    void redisUrlIsSplitIntoHostAndPort(String url, String expected) throws Exception {
        Result r = bash(Map.of("REDIS_URL", url), "-c", "source scripts/lib.sh; echo \"$(redis_host) $(redis_port)\"");

        assertThat(r.output.strip()).isEqualTo(expected);
    }

    @Test
    void databaseNamesAreCheckedBeforeTheyReachSql() throws Exception {
        Result r = bash("-c", "set -e; source scripts/lib.sh; ensure_database 'x\"; DROP DATABASE monitoring; --'");

        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.output).contains("unexpected database name");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result bash(String... args) throws Exception {
        return bash(Map.of(), args);
    }

    private static Result bash(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a parent folder with docker-compose.yml").isNotNull();
        return dir;
    }
}
