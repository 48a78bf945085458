package dev.monitoring.monitor.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How notifications are grouped and delivered: {@code monitor.notify.delivery.*}. */
@ConfigMapping(prefix = "monitor.notify.delivery")
public interface DeliveryConfig {
    /** The ledger: the Redis stream every notification is an entry of, read by the consumer group {@link #group()}. */
    @WithDefault("notifications:ledger")
    String ledgerStream();

    /** Consumer group of the ledger, shared by every replica. */
    @WithDefault("notifier")
    String group();

    /** Prefix of the Redis keys of the notification groups. */
    @WithDefault("notify")
    String keyPrefix();

    /** Capped length of the ledger (XADD MAXLEN ~). */
    @WithDefault("100000")
    long ledgerMaxLength();

    /** How often the due groups are flushed into the ledger. */
    @WithDefault("250ms")
    Duration flushEvery();

    /** Wait before the first retry of a failed delivery; doubled at every further failure up to {@link #retryMax()}. */
    @WithDefault("2s")
    Duration retryInitial();

    @WithDefault("5m")
    Duration retryMax();

    /** Attempts before a notification goes to its receiver's dead letters and notification_failed is raised. */
    @WithDefault("12")
    int maxAttempts();

    /** How long another consumer's entry must have been idle before this replica takes it over (a dead replica). */
    @WithDefault("30s")
    Duration claimMinIdle();

    /** Deliveries in flight at once on one replica (each is bounded by its receiver's timeout). */
    @WithDefault("4")
    int threads();
}
