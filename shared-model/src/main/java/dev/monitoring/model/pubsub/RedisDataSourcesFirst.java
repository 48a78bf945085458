package dev.monitoring.model.pubsub;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Creates the Redis data sources before anything else of the application can run.
 *
 * <p>Quarkus' Redis extension (3.33) creates each data source on first use, and both the reactive and the blocking one
 * go through one plain {@code HashMap} ({@code RedisClientRecorder.dataSources}, {@code computeIfAbsent}). The
 * scheduler starts at {@code StartupEvent} priority {@value Interceptor.Priority#PLATFORM_BEFORE}; when a scheduled
 * task made the first data source on its thread while a later start-up observer (or a test's injection) made the
 * other, the map threw {@code ConcurrentModificationException} and the service failed to start, now and then. Made
 * here, on the main thread before the scheduler starts, both exist before any second thread asks; after that the map
 * is only read.
 */
@ApplicationScoped
public class RedisDataSourcesFirst {

    void create(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event,
                ReactiveRedisDataSource reactive, RedisDataSource blocking) {
        // A call on each makes the instance behind its client proxy; neither call talks to Redis.
        reactive.getRedis();
        blocking.getReactive();
    }
}
