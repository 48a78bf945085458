package dev.monitoring.monitor.silences;

import dev.monitoring.model.api.SilenceView;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.monitoring.monitor.labels.LabelMatcher;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A silence: while it is active, alerts whose labels all its matchers match are recorded and shown (marked silenced)
 * but not delivered. A maintenance window is a silence with a Quartz {@code cron} (UTC) and a {@code duration}: it is
 * active for {@code duration} from each time the cron fires, between {@code startsAt} and {@code endsAt} (open-ended
 * when null).
 */
public record Silence(String id, List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String comment,
                      String createdBy, boolean endOnResolve, String cron, Duration duration, Instant createdAt,
                      Instant expiredAt) {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /** Parses a Quartz cron expression, with the reason when it is not one. */
    static ExecutionTime schedule(String cron) {
        return ExecutionTime.forCron(QUARTZ.parse(cron).validate());
    }

    public String state(Instant now) {
        if (expiredAt != null && !expiredAt.isAfter(now) || endsAt != null && !endsAt.isAfter(now)) {
            return "expired";
        }
        return now.isBefore(startsAt) ? "pending" : "active";
    }

    /** Whether it silences now: inside its time and, for a maintenance window, inside one of its windows. */
    public boolean activeAt(Instant now) {
        if (!"active".equals(state(now))) {
            return false;
        }
        if (cron == null) {
            return true;
        }
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        // the window that began at the cron's last time before now (or exactly now) is still open
        Optional<ZonedDateTime> next = schedule(cron).nextExecution(at.minusNanos(1));
        if (next.isPresent() && !next.get().isAfter(at)) {
            return true;
        }
        Optional<ZonedDateTime> last = schedule(cron).lastExecution(at);
        return last.isPresent() && at.isBefore(last.get().plus(duration));
    }

    public boolean matches(Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels.get(m.label()))) {
                return false;
            }
        }
        return true;
    }

    /** As shown at {@code now}. */
    public SilenceView view(Instant now) {
        return new SilenceView(id, matchers.stream().map(m -> new SilenceView.Matcher(m.label(), m.value(), m.regex())).toList(), startsAt, endsAt, comment, createdBy,
                endOnResolve, cron, duration == null ? null : duration.toString(), state(now), activeAt(now), createdAt, expiredAt);
    }
}
