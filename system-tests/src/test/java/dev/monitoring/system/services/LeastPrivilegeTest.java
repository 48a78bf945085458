package dev.monitoring.system.services;

import dev.monitoring.testsupport.LiveClient;
import dev.monitoring.system.Repository;
import dev.monitoring.testsupport.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shipped least-privilege setup, for real: Redis started by k8s/base/redis-start.sh with the users of
 * k8s/base/redis-users.acl (as compose and k8s start it), PostgreSQL roles made by k8s/base/postgres-init.sh, and the
 * three services each connecting as its own user and role. Everything works, and what a service must not do is
 * refused by Redis or PostgreSQL themselves.
 */
class LeastPrivilegeTest {
    private static final String DATABASE = "monitoring_test_roles";
    private static final Map<String, String> PASSWORDS = Map.of("REDIS_MONITOR_PASSWORD", "monitor-" + UUID.randomUUID(),
            "REDIS_RUNNER_PASSWORD", "runner-" + UUID.randomUUID(), "REDIS_GATEWAY_PASSWORD", "gateway-" + UUID.randomUUID(),
            "REDIS_PRODUCER_PASSWORD", "producer-" + UUID.randomUUID());
    private static final String JOBS = """
            jobs:
              - {name: acl-job, demo: {duration: 200ms, records: 3}}
            """;
    private static final int redisPort = ServiceInstance.freePort();
    private static Process redis;
    private static final List<ServiceInstance> services = new ArrayList<>();
    private static ServiceInstance gateway;
    private static ServiceInstance runner;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "redis-acl-").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("sh", Repository.root().resolve("k8s/base/redis-start.sh").toString(),
                "redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile());
        builder.environment().putAll(PASSWORDS);
        builder.environment().put("ACL_TEMPLATE", Repository.root().resolve("k8s/base/redis-users.acl").toString());
        builder.environment().put("ACL_FILE", dir.resolve("users.acl").toString());
        redis = builder.start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Resp r = Resp.tcp(redisPort)) {
                return "PONG".equals(r.command("PING"));
            }
        });

        createDatabaseWithServiceRoles();

        Path jobs = Path.of("target", "least-privilege-jobs.yml").toAbsolutePath();
        Files.writeString(jobs, JOBS);
        // the real channel names: this Redis is the test's own
        Map<String, String> common = ServiceInstance.env("CHANNEL_ERRORS", "errors", "CHANNEL_EXECUTIONS", "executions",
                "CHANNEL_ALERTS", "alerts", "CHANNEL_NOTIFICATIONS", "notifications", "PG_DATABASE", DATABASE);
        ServiceInstance monitor = ServiceInstance.start("monitor-service", "monitor-least-privilege", with(common,
                "REDIS_URL", url("monitor"), "PG_USER", "monitor", "ALERTS_EVALUATE_EVERY", "1s"));
        runner = ServiceInstance.start("runner-service", "runner-least-privilege", with(common,
                "REDIS_URL", url("runner"), "PG_USER", "runner", "JOBS_FILE", jobs.toString(), "RUNNER_CRON", "off",
                "RUNNER_FULL_RUN", "false"));
        services.add(monitor);
        services.add(runner);
        monitor.awaitReady();
        runner.awaitReady();
        gateway = ServiceInstance.start("api-gateway", "gateway-least-privilege", with(common,
                "REDIS_URL", url("gateway"), "MONITOR_URL", monitor.url(), "RUNNER_URL", runner.url(),
                "MONITOR_MANAGEMENT_URL", monitor.managementUrl(), "RUNNER_MANAGEMENT_URL", runner.managementUrl(),
                "GATEWAY_ADMIN_PASSWORD", "admin-" + UUID.randomUUID(), "GATEWAY_VIEWER_PASSWORD", "viewer-password-1",
                "GATEWAY_SESSION_KEY", "least-privilege-session-key-0123456789"));
        services.add(gateway);
        gateway.awaitReady();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        ServiceInstance.killAll(services);
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachServiceWorksWithItsOwnUserAndRole() throws Exception {
        String errorId = "acl-" + UUID.randomUUID();
        try (LiveClient viewer = LiveClient.connect("acl-viewer", java.net.URI.create(gateway.url()), "viewer",
                "viewer-password-1");
             Resp producer = as("producer")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !viewer.framesOfType("hello").isEmpty());
            String event = Http.JSON.writeValueAsString(Map.of("error_id", errorId, "error_type", "AclCheck",
                    "error_message", "published by the producer user", "severity", "critical", "category", "system",
                    "timestamp", Instant.now().toString(), "context", Map.of("component", "acl")));
            // an outside job publishes durably, as the README shows: the stream, then the channel
            producer.command("XADD", "errors:stream", "*", "event", event);
            producer.command("PUBLISH", "errors", event);

            await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM monitor.error_logs WHERE error_id = '"
                    + errorId + "'") == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> viewer.frames().stream()
                    .anyMatch(f -> f.toString().contains(errorId)));
            // the monitor's alert reaches the gateway's clients too: the monitor may publish alerts
            await().atMost(Duration.ofSeconds(20)).until(() -> viewer.framesOfType("alert").stream()
                    .anyMatch(f -> f.toString().contains("critical_error")));
        }

        // the runner holds its lock, publishes its events; the monitor stores them
        assertThat(Http.post(runner.url() + "/api/runs?job=acl-job").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM monitor.executions WHERE kind = 'run'") >= 1
                && count("SELECT count(*) FROM runner.batch_run WHERE status = 'completed'") >= 1);

        JsonHealth health = new JsonHealth(Http.json(gateway.managementUrl() + "/q/health/ready"));
        assertThat(health.status()).isEqualTo("UP");
    }

    @Test
    void redisRefusesWhatAServiceMustNotDo() {
        try (Resp gatewayUser = as("gateway"); Resp monitorUser = as("monitor"); Resp producer = as("producer");
             Resp anonymous = Resp.tcp(redisPort)) {
            assertThatThrownBy(() -> gatewayUser.command("PUBLISH", "errors", "{}")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> gatewayUser.command("PUBLISH", "alerts", "{}")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> gatewayUser.command("XADD", "errors:stream", "*", "event", "{}")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> monitorUser.command("SET", "runner:batch-run-lock", "stolen")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> monitorUser.command("EVAL", "return redis.call('SET', 'runner:batch-run-lock:cancel', 'x')", "0"))
                    .hasMessageContaining("can't access");
            assertThatThrownBy(() -> producer.command("PUBLISH", "alerts", "{}")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> producer.command("DEL", "errors:stream")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> monitorUser.command("FLUSHALL")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> anonymous.command("GET", "runner:batch-run-lock")).hasMessageContaining("NOPERM");
            assertThat(anonymous.command("PING")).isEqualTo("PONG");
            assertThatThrownBy(() -> Resp.tcp(redisPort).command("AUTH", "gateway", "wrong-password")).hasMessageContaining("WRONGPASS");
        }
    }

    @Test
    void postgresKeepsEachServiceInItsOwnSchema() throws SQLException {
        try (Connection monitor = connect("monitor"); Statement s = monitor.createStatement()) {
            assertThat(single(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo(false);
            assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM runner.batch_run")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("CREATE TABLE public.intruder (id int)")).hasMessageContaining("permission denied");
        }
        try (Connection runnerRole = connect("runner"); Statement s = runnerRole.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM monitor.error_logs")).hasMessageContaining("permission denied");
        }
    }

    private record JsonHealth(com.fasterxml.jackson.databind.JsonNode json) {
        String status() {
            return json.path("status").asText();
        }
    }

    private static String url(String user) {
        return "redis://" + user + ":" + PASSWORDS.get("REDIS_" + user.toUpperCase() + "_PASSWORD") + "@127.0.0.1:" + redisPort;
    }

    private static Resp as(String user) {
        Resp resp = Resp.tcp(redisPort);
        resp.command("AUTH", user, PASSWORDS.get("REDIS_" + user.toUpperCase() + "_PASSWORD"));
        return resp;
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> env = new java.util.HashMap<>(base);
        env.putAll(ServiceInstance.env(more));
        return env;
    }

    /** A new database whose roles are made by the shipped init script, as the postgres image runs it on first start. */
    private static void createDatabaseWithServiceRoles() throws IOException, InterruptedException, SQLException {
        try (Connection c = connect("postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("DROP ROLE IF EXISTS monitor");
            s.execute("DROP ROLE IF EXISTS runner");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        ProcessBuilder init = new ProcessBuilder("sh", Repository.root().resolve("k8s/base/postgres-init.sh").toString())
                .redirectErrorStream(true);
        init.environment().putAll(Map.of("POSTGRES_USER", System.getenv().getOrDefault("PG_USER", "postgres"),
                "POSTGRES_DB", DATABASE, "PG_MONITOR_PASSWORD", "pg-monitor-" + UUID.randomUUID(),
                "PG_RUNNER_PASSWORD", "pg-runner-" + UUID.randomUUID(),
                "PGHOST", System.getenv().getOrDefault("PG_HOST", "127.0.0.1"), "PGPORT", System.getenv().getOrDefault("PG_PORT", "5432")));
        Process p = init.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("postgres-init.sh: %s", out).isZero();
    }

    private static long count(String sql) {
        try (Connection c = connect("postgres", DATABASE); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1; // the schema may not be there yet
        }
    }

    private static Object single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getObject(1);
        }
    }

    private static Connection connect(String role) throws SQLException {
        return connect(role, DATABASE);
    }

    private static Connection connect(String role, String database) throws SQLException {
        String host = System.getenv().getOrDefault("PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("PG_PORT", "5432");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, role, "");
    }
}
