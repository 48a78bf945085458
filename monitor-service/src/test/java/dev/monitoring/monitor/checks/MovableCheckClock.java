package dev.monitoring.monitor.checks;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Duration;
import java.time.Instant;

/** The checks' clock in the tests: real time until a test sets it, then exactly where the test puts it. */
@Alternative
@Priority(1)
@ApplicationScoped
public class MovableCheckClock extends CheckClock {
    private volatile Instant fixed;

    @Override
    public Instant now() {
        Instant f = fixed;
        return f == null ? Instant.now() : f;
    }

    public void set(Instant at) {
        fixed = at;
    }

    public void advance(Duration by) {
        fixed = now().plus(by);
    }

    public void release() {
        fixed = null;
    }
}
