package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.LogText;
import org.jboss.logging.Logger;

/**
 * One line per received error (its text escaped and cut, so a CR or LF in an event cannot forge a line), at the level matching its severity, on its own category so the
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
        if (LOG.isEnabled(level)) {
            LOG.log(level, line(e));
        }
    }

    /** The line's text: every event field in it escaped and cut. */
    static String line(ErrorEvent e) {
        String symbol = e.context().symbol();
        return "[" + e.category().wireName() + "] " + (e.errorType() == null ? "Error" : LogText.safe(e.errorType(), 200)) + ": "
                + LogText.safe(e.errorMessage()) + (symbol == null ? "" : " (symbol: " + LogText.safe(symbol, 100) + ")");
    }
}
