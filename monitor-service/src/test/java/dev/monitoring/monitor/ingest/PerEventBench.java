package dev.monitoring.monitor.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A benchmark, not a test: per-event time of the writer's text work for a normal corpus next to an adversarial one,
 * printed as p50 / p99 / max. Skipped in the suite; {@code bench/per-event.sh} runs it.
 */
@EnabledIfSystemProperty(named = "bench.per-event", matches = "true")
class PerEventBench {
    private static final int EVENTS = Integer.getInteger("bench.per-event.count", 20_000);

    @Test
    void printPerEventFigures() {
        EventTextPipeline pipeline = new EventTextPipeline();
        List<String> normal = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            normal.add(AdversarialEvents.normal("n-" + i, i));
        }
        List<String> adversarial = new AdversarialEvents(20261130L).corpus(EVENTS, "a-", 0.2);
        run(pipeline, normal); // warm-up of both, then the measured rounds
        run(pipeline, adversarial);
        print("normal", normal, run(pipeline, normal));
        print("adversarial", adversarial, run(pipeline, adversarial));
    }

    private static long[] run(EventTextPipeline pipeline, List<String> corpus) {
        long[] nanos = new long[corpus.size()];
        int sink = 0;
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            sink += pipeline.process(corpus.get(i));
            nanos[i] = System.nanoTime() - start;
        }
        if (sink == 42) {
            System.out.print("");
        }
        return nanos;
    }

    private static void print(String name, List<String> corpus, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double avgBytes = corpus.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("per-event %-12s events %6d  avg %7.0f chars  p50 %8.1f us  p99 %8.1f us  max %8.1f us  total %6.0f ms%n",
                name, nanos.length, avgBytes, sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3,
                sorted[sorted.length - 1] / 1e3, Arrays.stream(nanos).sum() / 1e6);
    }
}
