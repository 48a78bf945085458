package dev.monitoring.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OncePerTest {
    @Test
    void theFirstAskIsAYesAndOnlyOneOfManyThreadsGetsItWithinTheInterval() throws Exception {
        OncePer once = new OncePer(Duration.ofHours(1));
        AtomicInteger yes = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            Future<?>[] asked = new Future<?>[8];
            for (int t = 0; t < asked.length; t++) {
                asked[t] = threads.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        if (once.due()) {
                            yes.incrementAndGet();
                        }
                    }
                });
            }
            for (Future<?> f : asked) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(yes).hasValue(1);
    }

    @Test
    void withNoIntervalEveryAskIsAYes() {
        OncePer always = new OncePer(Duration.ZERO);
        assertThat(always.due()).isTrue();
        assertThat(always.due()).isTrue();
    }
}
