package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.model.api.ReceiverInfo;


/**
 * Somewhere notifications go. One attempt per call, bounded by the receiver's timeout; retries and backoff are the
 * delivery ledger's business. Never throws: a failure is a {@link DeliveryResult} that is not accepted.
 */
public interface Receiver {
    String name();

    /** webhook, slack, email or pagerduty. */
    String type();

    /** What {@code GET /api/receivers} shows of it: its type and target without any secret (a URL without its path). */
    ReceiverInfo describe();

    DeliveryResult deliver(Notification notification);
}
