package dev.monitoring.monitor.notify.config;

import java.util.Map;

/**
 * One receiver of the file: its name, its type ({@code webhook}, {@code slack}, {@code email}, {@code pagerduty}) and
 * its options with every {@code ${VAR}} already replaced (so they may hold secrets: never log or return them).
 * The option keys and their Java types are listed on {@link NotifyFileParser}.
 *
 * @param line where it starts in the file, for error messages
 */
public record ReceiverSpec(String name, String type, Map<String, Object> options, int line) {
    /** Names the options without their values, which may be secrets (a record would print them all). */
    @Override
    public String toString() {
        return "ReceiverSpec[name=" + name + ", type=" + type + ", options=" + options.keySet() + ", line=" + line + "]";
    }
}
