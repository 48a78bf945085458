package dev.monitoring.monitor.ingest.stream;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code redis-stream}: UP while the consumer reads the event streams; its data is the ingestion lag per stream
 * (entries not yet delivered, pending, the oldest pending entry's age, and events lost to trimming).
 */
@Readiness
@ApplicationScoped
public class StreamHealthCheck implements HealthCheck {
    private final StreamConsumer consumer;
    private final StreamLag lag;

    public StreamHealthCheck(StreamConsumer consumer, StreamLag lag) {
        this.consumer = consumer;
        this.lag = lag;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("redis-stream");
        if (!consumer.enabled()) {
            return response.up().withData("enabled", false).build();
        }
        response.status(consumer.reading())
                .withData("group", consumer.group())
                .withData("consumer", consumer.consumer());
        if (consumer.lastError() != null) {
            response.withData("error", consumer.lastError());
        }
        lag.snapshots().forEach((stream, s) -> {
            response.withData(stream + ".lag", s.lag() == null ? -1 : s.lag());
            response.withData(stream + ".pending", s.pending());
            response.withData(stream + ".oldest_pending_age_ms", s.oldestPendingAgeMillis() == null ? 0 : s.oldestPendingAgeMillis());
            response.withData(stream + ".gap_events", s.gapEvents());
        });
        return response.build();
    }
}
