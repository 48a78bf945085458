package dev.monitoring.monitor.checks;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a check expects its next start: the next time its cron fires after the last signal, in the check's own
 * timezone (so "0 6 * * *" in Europe/Berlin stays 06:00 local across daylight saving changes), or the last signal plus
 * its period. A crontab's five fields are read as Unix cron; six or seven as Quartz (with seconds), the format the
 * rest of this system uses.
 */
final class CheckSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private CheckSchedule() {
    }

    /** Why the cron or the timezone is not usable, or null when both are. */
    static String problem(String cron, String timezone) {
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            return "'timezone' must be an IANA zone such as UTC or Europe/Berlin, not '" + timezone + "'";
        }
        if (cron == null) {
            return null;
        }
        try {
            execution(cron);
            return null;
        } catch (IllegalArgumentException e) {
            return "'schedule' is not a cron expression (5 fields such as '0 6 * * *', or Quartz with seconds): " + e.getMessage();
        }
    }

    /** The first expected start strictly after {@code after}; null when the cron never fires again. */
    static Instant next(String cron, String timezone, Long periodSeconds, Instant after) {
        if (cron == null) {
            return after.plusSeconds(periodSeconds);
        }
        return execution(cron).nextExecution(after.atZone(ZoneId.of(timezone))).map(t -> t.toInstant()).orElse(null);
    }

    private static ExecutionTime execution(String cron) {
        String trimmed = cron.trim();
        CronParser parser = trimmed.split("\\s+").length == 5 ? UNIX : QUARTZ;
        return ExecutionTime.forCron(parser.parse(trimmed).validate());
    }
}
