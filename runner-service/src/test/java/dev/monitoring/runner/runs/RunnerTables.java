package dev.monitoring.runner.runs;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Test helper: empties the runner's tables so each test starts with no history. */
@ApplicationScoped
public class RunnerTables {
    private final DataSource dataSource;

    public RunnerTables(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void clear() {
        sql("TRUNCATE runner.execution, runner.batch_run, runner.job_state");
    }

    public void sql(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
