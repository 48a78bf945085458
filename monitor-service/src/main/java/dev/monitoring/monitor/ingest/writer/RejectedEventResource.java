package dev.monitoring.monitor.ingest.writer;

import dev.monitoring.model.api.RejectedEvent;
import dev.monitoring.monitor.api.QueryParams;
import dev.monitoring.monitor.api.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/** What producers sent wrong, newest first. */
@Path("/api/rejected")
@Produces(MediaType.APPLICATION_JSON)
public class RejectedEventResource {
    private final Pool pool;

    public RejectedEventResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    public Uni<List<RejectedEvent>> recent(@QueryParam("limit") String limit) {
        int n = QueryParams.limit(limit, 100);
        return pool.preparedQuery("SELECT * FROM monitor.rejected_events ORDER BY received_at DESC, id DESC LIMIT $1")
                .execute(Tuple.of(n)).map(rows -> {
                    List<RejectedEvent> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new RejectedEvent(r.getLong("id"), r.getString("channel"), r.getString("reason"),
                                r.getString("payload"), Rows.instant(r, "received_at")));
                    }
                    return list;
                });
    }
}
