package dev.monitoring.monitor.notify.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.monitoring.monitor.notify.config.NotifyFileParser.DEFAULT_PAGERDUTY_URL;
import static dev.monitoring.monitor.notify.config.NotifyFileParser.DEFAULT_TIMEOUT;
import static dev.monitoring.monitor.notify.config.NotifyFileParser.MAX_TIMEOUT;
import static dev.monitoring.monitor.notify.config.NotifyFileParser.TYPES;

/** The {@code receivers:} section: each receiver's name, type and options, checked and with their defaults. */
final class ReceiverParser {
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "webhook", List.of("url", "secret", "timeout"),
            "slack", List.of("url", "timeout"),
            "email", List.of("to", "subject_prefix", "timeout"),
            "pagerduty", List.of("routing_key", "url", "timeout"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}");

    private final NotifyYaml yaml;
    /** Receiver name -> line, in file order. */
    private final Map<String, Integer> defined;

    ReceiverParser(NotifyYaml yaml, Map<String, Integer> defined) {
        this.yaml = yaml;
        this.defined = defined;
    }

    List<ReceiverSpec> receivers(Node node) {
        List<ReceiverSpec> specs = new ArrayList<>();
        List<Node> items = yaml.list(node, "receivers");
        for (int i = 0; i < items.size(); i++) {
            specs.add(receiver(items.get(i), i + 1));
        }
        return specs;
    }

    private ReceiverSpec receiver(Node item, int number) {
        if (!(item instanceof MappingNode m)) {
            throw yaml.fail(item, "receiver " + number + " must be a mapping with name: and one type ("
                    + String.join(", ", TYPES) + ")");
        }
        NodeTuple nameEntry = null;
        NodeTuple typeEntry = null;
        List<NodeTuple> others = new ArrayList<>();
        for (NodeTuple t : yaml.entries(m)) {
            String key = yaml.key(t);
            if (key.equals("name")) {
                nameEntry = t;
            } else if (TYPES.contains(key)) {
                if (typeEntry != null) {
                    throw yaml.fail(t.getKeyNode(), "receiver " + number + " has two types (" + yaml.key(typeEntry) + " and " + key
                            + "): give exactly one");
                }
                typeEntry = t;
            } else {
                others.add(t);
            }
        }
        if (nameEntry == null) {
            throw yaml.fail(item, "receiver " + number + " has no name");
        }
        String name = yaml.string(nameEntry.getValueNode(), "receiver " + number + ": name");
        if (name == null || !NAME.matcher(name).matches()) {
            throw yaml.fail(nameEntry.getValueNode(), "receiver " + number + ": name '" + (name == null ? "" : name)
                    + "' is not valid: use letters, digits, '-', '_' and '.', at most 64 characters");
        }
        int line = yaml.line(item);
        Integer first = defined.get(name);
        if (first != null) {
            throw yaml.fail(nameEntry.getValueNode(), "receiver name '" + name + "' is used twice (first on line " + first + ")");
        }
        String what = "receiver '" + name + "'";
        for (NodeTuple t : others) {
            String key = yaml.key(t);
            if (key.equals("timeout") || OPTIONS.values().stream().anyMatch(o -> o.contains(key))) {
                throw yaml.fail(t.getKeyNode(), what + ": '" + key + "' belongs inside its type's options, e.g. "
                        + "webhook: { url: ..., timeout: 3s }");
            }
            throw yaml.fail(t.getKeyNode(), what + " has an unknown type '" + key + "' (types: " + String.join(", ", TYPES) + ")");
        }
        if (typeEntry == null) {
            throw yaml.fail(item, what + " has no type: give one of " + String.join(", ", TYPES));
        }
        String type = yaml.key(typeEntry);
        Map<String, Object> options = options(typeEntry, type, what);
        defined.put(name, line);
        return new ReceiverSpec(name, type, Collections.unmodifiableMap(options), line);
    }

    private Map<String, Object> options(NodeTuple typeEntry, String type, String what) {
        Node value = typeEntry.getValueNode();
        Map<String, NodeTuple> given = new LinkedHashMap<>();
        if (!yaml.isNull(value)) {
            if (!(value instanceof MappingNode m)) {
                throw yaml.fail(value, what + ": " + type + " must be a mapping of options (" + String.join(", ", OPTIONS.get(type)) + ")");
            }
            for (NodeTuple t : yaml.entries(m)) {
                String key = yaml.key(t);
                if (!OPTIONS.get(type).contains(key)) {
                    throw yaml.fail(t.getKeyNode(), what + ": unknown option '" + key + "' for " + type + " (options: "
                            + String.join(", ", OPTIONS.get(type)) + ")");
                }
                given.put(key, t);
            }
        }
        Node at = typeEntry.getKeyNode();
        Map<String, Object> options = new LinkedHashMap<>();
        switch (type) {
            case "webhook" -> {
                options.put("url", httpUrl(given.get("url"), at, what, type));
                String secret = yaml.optionalString(given.get("secret"), what + ": secret");
                if (secret != null && !secret.isEmpty()) {
                    options.put("secret", secret);
                }
            }
            case "slack" -> options.put("url", httpUrl(given.get("url"), at, what, type));
            case "email" -> {
                options.put("to", addresses(given.get("to"), at, what));
                String prefix = yaml.optionalString(given.get("subject_prefix"), what + ": subject_prefix");
                if (prefix != null && !prefix.isBlank()) {
                    if (prefix.length() > 100 || prefix.chars().anyMatch(Character::isISOControl)) {
                        throw yaml.fail(given.get("subject_prefix").getValueNode(), what
                                + ": subject_prefix must be one line of at most 100 characters");
                    }
                    options.put("subject_prefix", prefix);
                }
            }
            case "pagerduty" -> {
                NodeTuple key = given.get("routing_key");
                String routingKey = key == null ? null : yaml.string(key.getValueNode(), what + ": routing_key");
                if (routingKey == null || routingKey.isBlank()) {
                    throw yaml.fail(key == null ? at : key.getValueNode(), what + ": pagerduty needs a routing_key");
                }
                if (routingKey.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                    throw yaml.fail(key.getValueNode(), what + ": routing_key must not contain spaces or control characters");
                }
                options.put("routing_key", routingKey);
                options.put("url", given.containsKey("url") ? httpUrl(given.get("url"), at, what, type) : DEFAULT_PAGERDUTY_URL);
            }
            default -> throw new IllegalStateException(type);
        }
        options.put("timeout", timeout(given.get("timeout"), what));
        return options;
    }

    /** Never quotes the URL: it may be a secret (Slack's are) or come from a variable. */
    private String httpUrl(NodeTuple entry, Node at, String what, String type) {
        String text = entry == null ? null : yaml.string(entry.getValueNode(), what + ": url");
        if (text == null || text.isBlank()) {
            throw yaml.fail(entry == null ? at : entry.getValueNode(), what + ": " + type + " needs a url");
        }
        Node node = entry.getValueNode();
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw yaml.fail(node, what + ": url is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw yaml.fail(node, what + ": url must start with http:// or https://"
                    + (scheme == null ? "" : " (it starts with " + scheme + ":)"));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw yaml.fail(node, what + ": url has no host (or a host name that is not valid)");
        }
        return uri.toString();
    }

    private List<String> addresses(NodeTuple entry, Node at, String what) {
        if (entry == null || yaml.isNull(entry.getValueNode())) {
            throw yaml.fail(entry == null ? at : entry.getValueNode(), what + ": email needs to: with at least one address");
        }
        List<String> to = new ArrayList<>();
        for (Node n : yaml.scalarOrList(entry.getValueNode(), what + ": to")) {
            String address = yaml.string(n, what + ": to");
            if (address == null || !ADDRESS.matcher(address.strip()).matches()) {
                throw yaml.fail(n, what + ": '" + (address == null ? "" : address) + "' is not an email address");
            }
            if (to.contains(address.strip())) {
                throw yaml.fail(n, what + ": address '" + address.strip() + "' is given twice");
            }
            to.add(address.strip());
        }
        if (to.isEmpty()) {
            throw yaml.fail(entry.getValueNode(), what + ": email needs to: with at least one address");
        }
        return List.copyOf(to);
    }

    private Duration timeout(NodeTuple entry, String what) {
        if (entry == null) {
            return DEFAULT_TIMEOUT;
        }
        Duration d = yaml.duration(entry.getValueNode(), what + ": timeout");
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw yaml.fail(entry.getValueNode(), what + ": timeout must be more than 0s and at most "
                    + NotifyDurations.format(MAX_TIMEOUT));
        }
        return d;
    }
}
