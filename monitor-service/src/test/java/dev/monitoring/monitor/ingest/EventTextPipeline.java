package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.InvalidEventException;
import dev.monitoring.model.LogText;
import dev.monitoring.model.grouping.ErrorFingerprint;
import dev.monitoring.monitor.ingest.store.StoredText;

/**
 * Everything the writer does to one event's text before the database: decode and validate, fingerprint, the
 * received-error log line, NUL cleaning and the context's jsonb text; or, for an invalid event, the rejection's log
 * line. The same calls as the writer makes, without the threads and the database around them.
 */
final class EventTextPipeline {
    private final EventCodec codec = new EventCodec();

    /** Returns something derived from every step, so none can be optimised away. */
    int process(String payload) {
        try {
            ErrorEvent e = codec.decodeError(payload);
            String fingerprint = ErrorFingerprint.of(e);
            String line = ReceivedErrorLog.line(e);
            String context = codec.encode(StoredText.cleanContext(e.context()));
            String message = StoredText.clean(e.errorMessage());
            return fingerprint.length() + line.length() + context.length() + (message == null ? 0 : message.length());
        } catch (InvalidEventException rejected) {
            return LogText.safe(rejected.reason()).length() + LogText.safe(payload, 200).length();
        }
    }
}
