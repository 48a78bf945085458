package dev.monitoring.monitor.ingest;

import dev.monitoring.model.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The shared codec is a plain class; one thread-safe instance serves the whole service. */
public class CodecProducer {
    @Produces
    @Singleton
    EventCodec codec() {
        return new EventCodec();
    }
}
