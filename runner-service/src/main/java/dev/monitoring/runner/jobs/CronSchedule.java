package dev.monitoring.runner.jobs;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Quartz cron expressions (the format of quarkus-scheduler), evaluated in UTC. */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private CronSchedule() {
    }

    /** Throws {@link JobFileException} when the expression is not a valid Quartz cron. */
    static void validate(String cron, String where) {
        try {
            PARSER.parse(cron).validate();
        } catch (IllegalArgumentException e) {
            throw new JobFileException(where + ": invalid cron '" + cron + "' (Quartz format, e.g. '0 * * * * ?'): "
                    + e.getMessage());
        }
    }

    /** The first time strictly after {@code after} that the cron fires. */
    public static Optional<Instant> next(String cron, Instant after) {
        return ExecutionTime.forCron(PARSER.parse(cron))
                .nextExecution(after.atZone(ZoneOffset.UTC))
                .map(t -> t.toInstant());
    }
}
