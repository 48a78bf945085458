package dev.monitoring.monitor.errors;

import dev.monitoring.model.api.ApiError;
import dev.monitoring.model.api.ErrorHealth;
import dev.monitoring.model.api.ErrorStatistics;
import dev.monitoring.model.api.ErrorSummary;
import dev.monitoring.model.api.ErrorTimeline;
import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.api.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;

@Path("/api/errors")
@Produces(MediaType.APPLICATION_JSON)
public class ErrorResource {
    static final int MAX_TIMELINE_BUCKETS = 10_000;

    private final ErrorQueries queries;

    public ErrorResource(ErrorQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/recent")
    public Uni<List<ErrorSummary>> recent(@QueryParam("limit") String limit, @QueryParam("severity") String severity,
                                          @QueryParam("category") String category, @QueryParam("symbol") String symbol,
                                          @QueryParam("since") String since) {
        int n = QueryParams.limit(limit, 100);
        Severity s = QueryParams.severity("severity", severity).orElse(null);
        Category c = QueryParams.category("category", category).orElse(null);
        Instant from = QueryParams.instant("since", since).orElse(null);
        return queries.recent(n, s, c, symbol == null || symbol.isBlank() ? null : symbol.trim(), from);
    }

    @GET
    @Path("/statistics")
    public Uni<ErrorStatistics> statistics(@QueryParam("hours") String hours) {
        return queries.statistics(QueryParams.intInRange("hours", hours, 24, 1, 720));
    }

    @GET
    @Path("/timeline")
    public Uni<ErrorTimeline> timeline(@QueryParam("hours") String hours, @QueryParam("bucket_minutes") String bucketMinutes) {
        int h = QueryParams.intInRange("hours", hours, 24, 1, 720);
        int b = QueryParams.intInRange("bucket_minutes", bucketMinutes, 60, 1, 1440);
        if ((long) h * 60 / b > MAX_TIMELINE_BUCKETS) {
            throw new BadParameterException("bucket_minutes", "'bucket_minutes' too small for " + h + " hours (at most "
                    + MAX_TIMELINE_BUCKETS + " buckets)");
        }
        return queries.timeline(h, b);
    }

    @GET
    @Path("/health")
    public Uni<ErrorHealth> health() {
        return queries.health();
    }

    @GET
    @Path("/{error_id}")
    public Uni<Response> byId(@PathParam("error_id") String errorId) {
        return queries.byId(errorId)
                .onItem().ifNotNull().transform(e -> Response.ok(e).build())
                .onItem().ifNull().continueWith(() -> Response.status(404)
                        .entity(ApiError.of("no error with error_id '" + errorId + "'")).build());
    }
}
