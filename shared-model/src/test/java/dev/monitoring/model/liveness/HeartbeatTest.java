package dev.monitoring.model.liveness;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Heartbeat heartbeat = new Heartbeat("writer", Duration.ofSeconds(30), now::get);

    @Test
    void aWorkerThatOwesProgressPastTheBoundIsStalled() {
        heartbeat.beat();
        now.addAndGet(30_000);
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.RUNNING);
        now.addAndGet(1);
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.STALLED);
        assertThat(heartbeat.status().reason()).contains("no progress for 30001 ms");
        heartbeat.beat();
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.RUNNING);
    }

    @Test
    void anIdleWorkerIsNeverStalledAndAPeriodicOneGetsItsPeriodOnTop() {
        heartbeat.idle();
        now.addAndGet(Duration.ofDays(1).toMillis());
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.IDLE);

        heartbeat.beat(Duration.ofHours(1));
        now.addAndGet(Duration.ofHours(1).plusSeconds(30).toMillis());
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.RUNNING);
        now.addAndGet(1);
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.STALLED);
    }

    @Test
    void aDeadWorkerStaysDeadUntilRevived() {
        heartbeat.died("StackOverflowError");
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.DEAD);
        heartbeat.beat();
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.DEAD);
        heartbeat.revived();
        assertThat(heartbeat.status().state()).isEqualTo(Heartbeat.State.RUNNING);
    }
}
