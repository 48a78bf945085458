package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.model.api.DeadLetter;
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

/** Stream entries no monitor could store after several deliveries, newest first. */
@Path("/api/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
    private final Pool pool;

    public DeadLetterResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    public Uni<List<DeadLetter>> recent(@QueryParam("limit") String limit) {
        int n = QueryParams.limit(limit, 100);
        return pool.preparedQuery("SELECT * FROM monitor.dead_letters ORDER BY dead_at DESC, id DESC LIMIT $1")
                .execute(Tuple.of(n)).map(rows -> {
                    List<DeadLetter> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new DeadLetter(r.getLong("id"), r.getString("stream"), r.getString("entry_id"),
                                r.getLong("deliveries"), r.getString("reason"), r.getString("payload"), Rows.instant(r, "dead_at")));
                    }
                    return list;
                });
    }
}
