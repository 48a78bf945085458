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

    /**
     * The console's default (LOG_CONSOLE_FILTER): printing every received error cost a fifth of the ingest rate at
     * 20,000 events/s (bench/monitor-ingest.sh) and 20 MB of console per 100,000 events; the file log keeps them.
     */
    @LoggingFilter(name = "not-received-errors")
    public static final class Not implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return !ReceivedErrorLog.CATEGORY.equals(record.getLoggerName());
        }
    }

    /** For a console that shows every received error too (LOG_CONSOLE_FILTER=all). */
    @LoggingFilter(name = "all")
    public static final class All implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return true;
        }
    }
}
