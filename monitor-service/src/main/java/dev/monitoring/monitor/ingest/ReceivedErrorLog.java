package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ErrorEvent;
import org.jboss.logging.Logger;

/**
 * One line per received error, at the level matching its severity, on its own category so the
 * rotating file handler ({@code LOG_FILE_ENABLED}) can take exactly these lines.
 */
public final class ReceivedErrorLog {
    /** The logging category that application.properties routes to the errors file. */
    public static final String CATEGORY = "dev.monitoring.received-errors";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private ReceivedErrorLog() {
    }

    public static void log(ErrorEvent e) {
        Logger.Level level = switch (e.severity()) {
            case DEBUG -> Logger.Level.DEBUG;
            case INFO -> Logger.Level.INFO;
            case WARNING -> Logger.Level.WARN;
            case ERROR -> Logger.Level.ERROR;
            case CRITICAL -> Logger.Level.FATAL;
        };
        if (!LOG.isEnabled(level)) {
            return;
        }
        String symbol = e.context().symbol();
        LOG.logf(level, "[%s] %s: %s%s", e.category().wireName(), e.errorType() == null ? "Error" : e.errorType(),
                e.errorMessage(), symbol == null ? "" : " (symbol: " + symbol + ")");
    }
}
