package dev.monitoring.monitor.errors;

import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.grouping.FingerprintRule;
import dev.monitoring.model.grouping.Grouping;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fingerprint rules of the configuration ({@link GroupingConfig}), tried in the order of their names; an error no
 * rule matches gets its own fingerprint. A rule without a matcher, or with too long a {@code message-contains},
 * refuses start-up naming it.
 */
@ApplicationScoped
public class GroupingRules {
    private final Grouping grouping;

    public GroupingRules(GroupingConfig config) {
        List<FingerprintRule> rules = new ArrayList<>();
        for (Map.Entry<String, GroupingConfig.Rule> entry : new TreeMap<>(config.rules()).entrySet()) {
            GroupingConfig.Rule r = entry.getValue();
            try {
                rules.add(new FingerprintRule(entry.getKey(), r.type().orElse(null), r.component().orElse(null),
                        r.operation().orElse(null), r.messageContains().orElse(null)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        this.grouping = new Grouping(rules, Map.of());
    }

    /** The group an error belongs to, before merges (the ingest applies those in the database). */
    public String fingerprint(ErrorEvent e) {
        return grouping.fingerprint(e);
    }

    /** The rules, in the order they are tried. */
    public List<FingerprintRule> rules() {
        return grouping.rules();
    }

    /** The rules' names, in the order they are tried. */
    public List<String> names() {
        return rules().stream().map(FingerprintRule::name).toList();
    }
}
