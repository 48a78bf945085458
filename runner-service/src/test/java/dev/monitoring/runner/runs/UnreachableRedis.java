package dev.monitoring.runner.runs;

import dev.monitoring.testsupport.RedisServer;
import dev.monitoring.testsupport.Resp;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The world a runner starts into during a Redis outage, set up before it starts: the database records two runs as
 * running, one live on another replica (its lock is held in Redis) and one left by a replica that died (no lock); and
 * the runner's Redis, a redis-server owned by the test, cannot be reached: it listens on a Unix socket only (which
 * the test uses) until {@link #openTcp()} opens the TCP port the runner was given.
 */
public class UnreachableRedis implements QuarkusTestResourceLifecycleManager {
    static final String LIVE_RUN = "live-on-another-replica";
    static final String DEAD_RUN = "left-by-a-dead-replica";
    private static final String FORGET_RUNS = "DELETE FROM runner.batch_run WHERE id IN ('" + LIVE_RUN + "', '" + DEAD_RUN + "')";
    private static int port;
    private static RedisServer server;
    private static String[] database;

    /** The test profile that starts the runner into this world. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(UnreachableRedis.class));
        }
    }

    @Override
    public Map<String, String> start() {
        server = RedisServer.onFreePort().startOnSocketOnly();
        port = server.port();
        Config config = ConfigProvider.getConfig();
        command("SET", config.getValue("runner.lock.key", String.class), LIVE_RUN, "PX", "600000");
        recordRunningRuns(config);
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        sql(List.of(FORGET_RUNS)); // the next runner must not find them
        if (server != null) {
            server.kill();
            server = null;
        }
    }

    /** Lets the runner in: its TCP port opens. */
    static void openTcp() {
        String reply = command("CONFIG", "SET", "port", Integer.toString(port));
        if (!"OK".equals(reply)) {
            throw new IllegalStateException("CONFIG SET port: " + reply);
        }
    }

    /** Shuts the runner out again: the TCP port closes and every connection it had is dropped (the server keeps its data). */
    static void cutOff() {
        command("CONFIG", "SET", "port", "0");
        command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    }

    static String command(String... args) {
        try (Resp redis = Resp.unix(socket())) {
            return String.valueOf(redis.command(args));
        }
    }

    private static Path socket() {
        return server.socket();
    }

    /** The runner migrates its schema when it starts; these rows must be there before, so the schema is migrated here. */
    private static void recordRunningRuns(Config config) {
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getValue("quarkus.datasource.username", String.class);
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        if (!url.contains("test")) {
            throw new IllegalStateException("refusing to write runs into a database that is not a test one: " + url);
        }
        database = new String[] {url, user, password};
        Flyway.configure().dataSource(url, user, password).schemas("runner").createSchemas(true).load().migrate();
        List<String> statements = new ArrayList<>(List.of(FORGET_RUNS));
        for (String run : List.of(LIVE_RUN, DEAD_RUN)) {
            statements.add("INSERT INTO runner.batch_run (id, status, trigger, started_at, updated_at) "
                    + "VALUES ('" + run + "', 'running', 'scheduled', now() - interval '1 minute', now())");
            statements.add("INSERT INTO runner.execution (id, batch_run_id, job, status, attempts, started_at) "
                    + "VALUES ('" + run + "-exec', '" + run + "', 'export', 'running', 1, now() - interval '1 minute')");
        }
        sql(statements);
    }

    private static void sql(List<String> statements) {
        try (Connection c = DriverManager.getConnection(database[0], database[1], database[2]);
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
