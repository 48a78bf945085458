package dev.monitoring.monitor;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both Redis data sources exist when the scheduler starts: Quarkus makes them through one unsynchronised map, so a
 * scheduled task making one while start-up makes the other failed the start now and then
 * (ConcurrentModificationException in RedisClientRecorder). Looked at from a start-up observer of the scheduler's own
 * priority, without creating anything.
 */
@QuarkusTest
class RedisDataSourcesFirstTest {

    @Test
    void bothRedisDataSourcesExistBeforeTheSchedulerStarts() {
        assertThat(SchedulerStartWitness.existing).containsOnlyKeys("reactive", "blocking")
                .containsEntry("reactive", true).containsEntry("blocking", true);
    }

    @ApplicationScoped
    static class SchedulerStartWitness {
        static final Map<String, Boolean> existing = new LinkedHashMap<>();

        void look(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
            existing.put("reactive", exists(ReactiveRedisDataSource.class));
            existing.put("blocking", exists(RedisDataSource.class));
        }

        /** Asks the bean's context for its instance; get(bean) without a creational context never creates one. */
        private static boolean exists(Class<?> type) {
            InjectableBean<?> bean = Arc.container().instance(type).getBean();
            return Arc.container().getActiveContext(bean.getScope()).get(bean) != null;
        }
    }
}
