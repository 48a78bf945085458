package dev.monitoring.system.services;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JDBC access to the system tests' own database (created if missing), to check what the instances wrote. */
final class SystemDatabase {
    /** How long a TRUNCATE may wait for the sessions using its table. */
    private static final int LOCK_TIMEOUT_SECONDS = 30;
    /** How long any answer may take (no query here needs more): a lost or stuck server fails the test, not the run. */
    private static final int SOCKET_TIMEOUT_SECONDS = 120;

    private SystemDatabase() {
    }

    static void ensureExists() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + ServiceInstance.DATABASE + "'")) {
                if (r.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + ServiceInstance.DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + ServiceInstance.DATABASE + ": " + e.getMessage(), e);
        }
    }

    /** Empties the given tables if they exist (a first run has no schema yet: the services' Flyway creates it). */
    static void truncateIfPresent(String... tables) {
        try (Connection c = connect(ServiceInstance.DATABASE); Statement s = c.createStatement()) {
            // TRUNCATE waits for every session using the table: bounded, and naming them when it gives up
            s.execute("SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'");
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                    r.next();
                    if (!r.getBoolean(1)) {
                        continue;
                    }
                }
                try {
                    s.execute("TRUNCATE " + table + " CASCADE");
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot truncate " + table + " within " + LOCK_TIMEOUT_SECONDS + " s ("
                            + e.getMessage() + "); the other sessions on " + ServiceInstance.DATABASE + ": " + otherSessions(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Who else is connected, in what state, since when and doing what: what a lock wait needs to be explained. */
    private static List<Map<String, Object>> otherSessions() {
        return query("SELECT pid, application_name, state, backend_start, xact_start, wait_event_type, left(query, 200) AS query "
                + "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }

    static long count(String sql) {
        List<Map<String, Object>> rows = query(sql);
        return ((Number) rows.get(0).values().iterator().next()).longValue();
    }

    static List<Map<String, Object>> query(String sql) {
        try (Connection c = connect(ServiceInstance.DATABASE); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes {@code LOCK TABLE <table> IN ACCESS EXCLUSIVE MODE} in a transaction of the test's own and holds it until
     * {@link HeldLock#close()} rolls the transaction back: every statement of anyone else on that table, reads included,
     * waits meanwhile. A real way to hold a service's writer inside a call, as a long migration or a stuck VACUUM FULL
     * would. Fails (10 s lock timeout) rather than waiting for ever when someone else holds the table.
     */
    static HeldLock lockExclusively(String table) {
        try {
            Connection c = connect(ServiceInstance.DATABASE);
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '10s'");
                    s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
                }
                return new HeldLock(c, table);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock " + table + ": " + e.getMessage(), e);
        }
    }

    /** A table lock held by the test; closing it ends the transaction and lets everybody waiting on the table go on. */
    static final class HeldLock implements AutoCloseable {
        private final Connection connection;
        private final String table;

        private HeldLock(Connection connection, String table) {
            this.connection = connection;
            this.table = table;
        }

        /** The sessions waiting for this lock right now (pg_locks entries not granted on the table). */
        long waiting() {
            return count("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '" + table + "'::regclass");
        }

        @Override
        public void close() {
            try (connection) {
                connection.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot release the lock on " + table + ": " + e.getMessage(), e);
            }
        }
    }

    private static Connection connect(String database) throws SQLException {
        String host = System.getenv().getOrDefault("PG_HOST", "localhost");
        String port = System.getenv().getOrDefault("PG_PORT", "5432");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database
                        + "?connectTimeout=10&socketTimeout=" + SOCKET_TIMEOUT_SECONDS,
                System.getenv().getOrDefault("PG_USER", "postgres"), System.getenv().getOrDefault("PG_PASSWORD", ""));
    }
}
