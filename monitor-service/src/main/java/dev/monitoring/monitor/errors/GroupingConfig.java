package dev.monitoring.monitor.errors;

import io.smallrye.config.ConfigMapping;

import java.util.Map;
import java.util.Optional;

/**
 * Fingerprint rules, {@code monitor.grouping.rules."<group name>".*}: an error that matches every matcher a rule
 * names goes to the group of that name, whatever its message says. For example, every timeout of the feed client in
 * one group:
 * <pre>
 * monitor.grouping.rules."feed-timeouts".component=FeedClient
 * monitor.grouping.rules."feed-timeouts".message-contains=timed out
 * </pre>
 * Rules are tried in the order of their names; the first that matches wins. An error no rule matches is grouped as
 * usual (type, component, job and the message with its numbers and ids masked).
 */
@ConfigMapping(prefix = "monitor.grouping")
public interface GroupingConfig {
    Map<String, Rule> rules();

    interface Rule {
        /** The error type, exactly. */
        Optional<String> type();

        /** The context's component, exactly. */
        Optional<String> component();

        /** The job: the context's operation, exactly. */
        Optional<String> operation();

        /** Text the message contains, ignoring case (at most 200 characters). */
        Optional<String> messageContains();
    }
}
