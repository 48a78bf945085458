package dev.monitoring.model.grouping;

import dev.monitoring.model.ErrorEvent;

import java.util.List;
import java.util.Map;

/**
 * Which group an error counts in: the first fingerprint rule it matches, else its own fingerprint
 * ({@link ErrorFingerprint}); then, when that group was merged into another, the other. The monitor groups what it
 * stores this way; the gateway, given the monitor's rules and merges, finds the group of a live error the same way.
 */
public final class Grouping {
    public static final Grouping NONE = new Grouping(List.of(), Map.of());

    private final List<FingerprintRule> rules;
    private final Map<String, String> merges;

    public Grouping(List<FingerprintRule> rules, Map<String, String> merges) {
        this.rules = List.copyOf(rules);
        this.merges = Map.copyOf(merges);
    }

    /** The fingerprint before merges: the first matching rule's group, or the error's own. */
    public String fingerprint(ErrorEvent e) {
        for (FingerprintRule rule : rules) {
            if (rule.matches(e)) {
                return rule.fingerprint();
            }
        }
        return ErrorFingerprint.of(e);
    }

    /** The group the error counts in, merges applied. */
    public String group(ErrorEvent e) {
        String fingerprint = fingerprint(e);
        return merges.getOrDefault(fingerprint, fingerprint);
    }

    public List<FingerprintRule> rules() {
        return rules;
    }
}
