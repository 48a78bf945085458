package dev.monitoring.monitor.ingest;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/** Log filters that split the received-errors lines from the service's own log. */
public final class ReceivedErrorLogFilters {
    private ReceivedErrorLogFilters() {
    }

    /** For the rotating errors file: only the received-errors lines. */
    @LoggingFilter(name = "received-errors-only")
    public static final class Only implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return ReceivedErrorLog.CATEGORY.equals(record.getLoggerName());
        }
    }

    /** For a console that should not show every received error (LOG_CONSOLE_FILTER=not-received-errors). */
    @LoggingFilter(name = "not-received-errors")
    public static final class Not implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return !ReceivedErrorLog.CATEGORY.equals(record.getLoggerName());
        }
    }
}
