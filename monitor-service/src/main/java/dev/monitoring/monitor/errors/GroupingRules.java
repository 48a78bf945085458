package dev.monitoring.monitor.errors;

import dev.monitoring.model.ErrorEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The fingerprint of an error: the group of the first fingerprint rule it matches ({@link GroupingConfig}), or the
 * usual one ({@link ErrorFingerprint}). Matching is equality and a plain substring search over a capped message: no
 * regular expression runs on event text, so a rule costs time linear in the message whatever the event says.
 */
@ApplicationScoped
public class GroupingRules {
    static final int MAX_CONTAINS = 200;

    private record Rule(String name, String type, String component, String operation, String contains, String fingerprint) {
        boolean matches(ErrorEvent e) {
            return (type == null || type.equals(e.errorType()))
                    && (component == null || component.equals(e.context().component()))
                    && (operation == null || operation.equals(e.context().operation()))
                    && (contains == null || containsIgnoringCase(e.errorMessage(), contains));
        }
    }

    private final List<Rule> rules;

    public GroupingRules(GroupingConfig config) {
        List<Rule> list = new ArrayList<>();
        for (Map.Entry<String, GroupingConfig.Rule> entry : new TreeMap<>(config.rules()).entrySet()) {
            list.add(rule(entry.getKey(), entry.getValue()));
        }
        this.rules = List.copyOf(list);
    }

    /** The group an error belongs to. */
    public String fingerprint(ErrorEvent e) {
        for (Rule rule : rules) {
            if (rule.matches(e)) {
                return rule.fingerprint();
            }
        }
        return ErrorFingerprint.of(e);
    }

    /** The rules' names, in the order they are tried. */
    public List<String> names() {
        return rules.stream().map(Rule::name).toList();
    }

    private static Rule rule(String name, GroupingConfig.Rule r) {
        String contains = r.messageContains().map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        if (r.type().isEmpty() && r.component().isEmpty() && r.operation().isEmpty() && contains == null) {
            throw new IllegalStateException("monitor.grouping.rules.\"" + name + "\" names no matcher: give it at least one of "
                    + "type, component, operation, message-contains (a rule without one would take every error)");
        }
        if (contains != null && (contains.isEmpty() || contains.length() > MAX_CONTAINS)) {
            throw new IllegalStateException("monitor.grouping.rules.\"" + name + "\".message-contains must be 1 to "
                    + MAX_CONTAINS + " characters");
        }
        return new Rule(name, r.type().orElse(null), r.component().orElse(null), r.operation().orElse(null), contains,
                sha1("rule\u001f" + name));
    }

    private static boolean containsIgnoringCase(String message, String lowerNeedle) {
        if (message == null) {
            return false;
        }
        String m = message.length() <= ErrorFingerprint.MAX_INPUT ? message : message.substring(0, ErrorFingerprint.MAX_INPUT);
        return m.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }

    private static String sha1(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Objects.requireNonNull(key)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
