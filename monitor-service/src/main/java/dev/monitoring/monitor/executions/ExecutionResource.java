package dev.monitoring.monitor.executions;

import dev.monitoring.model.api.CheckSummary;
import dev.monitoring.model.api.Executions;
import dev.monitoring.model.api.JobFailure;
import dev.monitoring.model.api.RunExecution;
import dev.monitoring.model.api.SchedulerHealth;
import dev.monitoring.monitor.api.QueryParams;
import dev.monitoring.monitor.checks.CheckStore;
import dev.monitoring.monitor.freshness.FreshnessQueries;
import dev.monitoring.monitor.freshness.FreshnessRow;
import dev.monitoring.monitor.freshness.FreshnessStatus;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionResource {
    static final int FAILURE_WINDOW_HOURS = 24;
    static final int MAX_FAILURES_SHOWN = 10;

    private final ExecutionQueries executions;
    private final FreshnessQueries freshness;
    private final CheckStore checks;

    public ExecutionResource(ExecutionQueries executions, FreshnessQueries freshness, CheckStore checks) {
        this.checks = checks;
        this.executions = executions;
        this.freshness = freshness;
    }

    /** Batch runs, newest first. */
    @GET
    @Path("/executions")
    public Uni<Executions> executions(@QueryParam("limit") String limit) {
        int n = QueryParams.limit(limit, 20);
        return executions.runs(n).map(runs -> new Executions(Instant.now(), runs));
    }

    /** Degraded when the last run failed, any target is stale, a job failed in the last 24 h, or a check is late or down. */
    @GET
    @Path("/scheduler-health")
    public Uni<SchedulerHealth> schedulerHealth() {
        return Uni.combine().all()
                .unis(executions.runs(1), executions.recentFailures(FAILURE_WINDOW_HOURS, MAX_FAILURES_SHOWN), freshness.all(),
                        checks.summary())
                .with((List<RunExecution> lastRuns, List<JobFailure> failures, List<FreshnessRow> rows, CheckSummary checkSummary) -> {
                    RunExecution last = lastRuns.isEmpty() ? null : lastRuns.get(0);
                    long stale = rows.stream().filter(r -> r.status() == FreshnessStatus.STALE).count();
                    long symbols = rows.stream().map(FreshnessRow::symbol).filter(s -> s != null && !s.isEmpty()).distinct().count();
                    boolean checksInTrouble = checkSummary.trouble().stream().anyMatch(t -> !"blocked".equals(t.state()));
                    boolean degraded = (last != null && "failed".equals(last.status())) || stale > 0 || !failures.isEmpty()
                            || checksInTrouble;
                    return new SchedulerHealth(degraded ? "degraded" : "healthy", Instant.now(), last, stale, failures, symbols,
                            checkSummary);
                });
    }
}
