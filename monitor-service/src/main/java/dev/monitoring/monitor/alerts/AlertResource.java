package dev.monitoring.monitor.alerts;

import dev.monitoring.model.api.StoredAlert;
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

/** Stored alerts, most recently notified first: the published JSON plus reminders and resolved_at. */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
    private final Pool pool;

    public AlertResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    public Uni<List<StoredAlert>> alerts(@QueryParam("limit") String limit) {
        int n = QueryParams.limit(limit, 100);
        return pool.preparedQuery("SELECT * FROM monitor.alerts ORDER BY last_notified_at DESC LIMIT $1")
                .execute(Tuple.of(n)).map(rows -> {
                    List<StoredAlert> list = new ArrayList<>();
                    for (Row r : rows) {
                        int reminders = r.getInteger("reminders");
                        List<String> silencedBy = AlertRows.silencedBy(r);
                        list.add(new StoredAlert(r.getString("alert_id"), r.getString("rule"), r.getString("severity"),
                                r.getString("message"), r.getString("key"), Rows.instant(r, "first_seen"),
                                Rows.instant(r, "last_seen"), r.getLong("count"), reminders > 0,
                                Rows.instant(r, "last_notified_at"), reminders, AlertRows.labels(r), !silencedBy.isEmpty(),
                                silencedBy, Rows.instant(r, "resolved_at")));
                    }
                    return list;
                });
    }
}
