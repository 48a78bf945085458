package dev.monitoring.monitor.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges every check at one instant: its state and the problems that hold, each of which the alert engine turns into
 * an alert (and, once it stops holding, a resolve: the recovery). A pure function of the checks and the time, so the
 * states the API shows and the alerts raised can never disagree.
 */
public final class CheckStates {
    public static final String LATE = "check_late";
    public static final String RUNNING_TOO_LONG = "check_running_too_long";
    public static final String FAILED = "check_failed";
    public static final String TOO_FAST = "check_too_fast";
    public static final String DURATION_ANOMALY = "check_duration_anomaly";
    /** The alert rules of checks, one per problem. */
    public static final List<String> RULES = List.of(LATE, RUNNING_TOO_LONG, FAILED, TOO_FAST, DURATION_ANOMALY);
    /** A duration anomaly needs this many earlier runs to compare with. */
    static final int ANOMALY_MIN_RUNS = 5;

    /** A check's state at the instant, why (for late, down, blocked), and the problems that hold. */
    record Status(String state, String reason, Instant nextExpectedAt, List<Problem> problems) {
    }

    /** A problem of one check: the alert rule it raises, its severity, what to say and since when it holds. */
    public record Problem(String check, String rule, String severity, String message, Instant since) {
    }

    private CheckStates() {
    }

    static Map<String, Status> judge(List<Check> checks, Instant now, double anomalyFactor) {
        Map<String, Check> byName = new HashMap<>();
        Map<String, Status> own = new HashMap<>();
        for (Check c : checks) {
            byName.put(c.name(), c);
            own.put(c.name(), own(c, now, anomalyFactor));
        }
        Map<String, Status> judged = new HashMap<>();
        for (Check c : checks) {
            Status s = own.get(c.name());
            String down = downDependency(c, byName, own, new HashSet<>());
            if (down != null && Set.of("up", "late", "new").contains(s.state())) {
                // the late alert is held back: the check cannot run while what it needs is down
                List<Problem> kept = s.problems().stream().filter(p -> !LATE.equals(p.rule())).toList();
                s = new Status("blocked", "waiting for " + down, s.nextExpectedAt(), kept);
            }
            judged.put(c.name(), s);
        }
        return judged;
    }

    /** The first dependency (directly or through others) that is down or late, described; null when none is. */
    private static String downDependency(Check c, Map<String, Check> byName, Map<String, Status> own, Set<String> visited) {
        if (!visited.add(c.name())) {
            return null; // a cycle of dependencies blocks nothing
        }
        for (String dep : c.dependsOn()) {
            Status s = own.get(dep);
            if (s == null) {
                continue;
            }
            if ("down".equals(s.state()) || "late".equals(s.state())) {
                return dep + " (" + s.state() + ")";
            }
            String further = downDependency(byName.get(dep), byName, own, visited);
            if (further != null) {
                return further;
            }
        }
        return null;
    }

    static Status own(Check c, Instant now, double anomalyFactor) {
        Instant next = c.nextExpectedAt();
        if (c.paused()) {
            return new Status("paused", null, next, List.of());
        }
        List<Problem> problems = new ArrayList<>();
        String state = null;
        String reason = null;
        Instant open = c.openRunStartedAt();
        if (open != null) {
            state = "running";
            // without max_runtime_seconds a run that never ends is caught when the next run is due and its grace is over
            Instant nextAfterStart = c.maxRuntimeSeconds() != null ? null : CheckSchedule.next(c.schedule(), c.timezone(), c.periodSeconds(), open);
            Instant tooLongAt = c.maxRuntimeSeconds() != null ? open.plusSeconds(c.maxRuntimeSeconds())
                    : nextAfterStart == null ? null : nextAfterStart.plusSeconds(c.graceSeconds());
            if (tooLongAt != null && now.isAfter(tooLongAt)) {
                state = "late";
                reason = "running for " + Duration.between(open, now).toSeconds() + " s, " + (c.maxRuntimeSeconds() != null
                        ? "over max_runtime_seconds " + c.maxRuntimeSeconds()
                        : "past the next expected start " + nextAfterStart + " and its grace");
                problems.add(new Problem(c.name(), RUNNING_TOO_LONG, "error", c.name() + " is " + reason, tooLongAt));
            }
        } else if (c.lastPingAt() == null) {
            state = "new";
        }
        boolean failed = "fail".equals(c.lastOutcome());
        boolean succeeded = "success".equals(c.lastOutcome());
        Long ms = c.lastDurationMs();
        if (failed) {
            String why = "last run failed" + (c.lastExitCode() == null ? "" : " with exit code " + c.lastExitCode());
            problems.add(new Problem(c.name(), FAILED, "error", c.name() + ": " + why, c.lastFinishAt()));
            reason = reason == null ? why : reason;
        }
        boolean tooFast = succeeded && ms != null && c.minRuntimeSeconds() != null && ms < c.minRuntimeSeconds() * 1000;
        if (tooFast) {
            String why = "last run took " + ms + " ms, under min_runtime_seconds " + c.minRuntimeSeconds();
            problems.add(new Problem(c.name(), TOO_FAST, "warning", c.name() + ": " + why, c.lastFinishAt()));
            reason = reason == null ? why : reason;
        }
        if (succeeded && ms != null) {
            String anomaly = anomaly(c.durationsMs(), ms, anomalyFactor);
            if (anomaly != null) {
                problems.add(new Problem(c.name(), DURATION_ANOMALY, "warning", c.name() + ": " + anomaly, c.lastFinishAt()));
            }
        }
        if (state == null) {
            if (next != null && now.isAfter(next.plusSeconds(c.graceSeconds()))) {
                state = "late";
                reason = "no start within " + c.graceSeconds() + " s of " + next;
                problems.add(new Problem(c.name(), LATE, "error", c.name() + " is late: " + reason, next.plusSeconds(c.graceSeconds())));
            } else {
                state = failed || tooFast ? "down" : "up";
            }
        }
        return new Status(state, "up".equals(state) || "new".equals(state) || "running".equals(state) ? null : reason, next, problems);
    }

    /**
     * Whether the latest duration is above the 95th percentile of the runs before it times the factor; durations are
     * oldest first and end with the latest run's.
     */
    static String anomaly(List<Long> durations, long latest, double factor) {
        if (durations.size() < ANOMALY_MIN_RUNS + 1) {
            return null;
        }
        List<Long> earlier = new ArrayList<>(durations.subList(Math.max(0, durations.size() - 21), durations.size() - 1));
        earlier.sort(null);
        long p95 = earlier.get((int) Math.ceil(0.95 * earlier.size()) - 1);
        if (latest > p95 * factor) {
            return "last run took " + latest + " ms, over " + factor + " x the p95 of its last " + earlier.size() + " runs (" + p95 + " ms)";
        }
        return null;
    }
}
