package dev.monitoring.monitor.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code ingest-buffer}: DOWN while the buffer is full and events are being dropped. */
@Readiness
@ApplicationScoped
public class IngestBufferHealthCheck implements HealthCheck {
    private final IngestBuffer buffer;

    public IngestBufferHealthCheck(IngestBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ingest-buffer")
                .status(!buffer.overflowing())
                .withData("size", buffer.size())
                .withData("capacity", buffer.capacity())
                .withData("dropped", buffer.dropped())
                .build();
    }
}
