package dev.monitoring.monitor.notify.config;

import dev.monitoring.monitor.labels.LabelMatcher;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code NOTIFY_FILE} and validates all of it; the first problem refuses the whole file with its line and
 * reason ({@link NotifyFileException}). The format:
 * <pre>
 * receivers:
 *   - name: ops-webhook
 *     webhook: { url: "https://hooks.example.com/monitor", secret: "${NOTIFY_WEBHOOK_SECRET}" }
 *   - name: ops-slack
 *     slack: { url: "${SLACK_WEBHOOK_URL}", timeout: 3s }
 *   - name: ops-mail
 *     email: { to: ["ops@example.com"], subject_prefix: "[prod]" }
 *   - name: oncall
 *     pagerduty: { routing_key: "${PD_ROUTING_KEY}" }
 * routes:                      # first match wins unless continue: true
 *   - match: { severity: critical }
 *     match_re: { rule: "critical_.*|database_error" }
 *     receivers: [ops-webhook, ops-mail, oncall]
 *     group_by: [rule]           # default [rule]; [] = one group per route
 *     group_wait: 10s            # defaults: RouteSpec.DEFAULT_*
 *     group_interval: 5m
 *     repeat_interval: 4h
 *     continue: false
 * default_receivers: [ops-webhook]   # alerts no route takes
 * fallback_receivers: [ops-mail]     # notification_failed
 * </pre>
 * Every string value may hold {@code ${VAR}} or {@code ${VAR:default}} (an unset or empty variable takes the default;
 * without a default it is an error; {@code $${} writes a literal {@code ${}).
 * <p>
 * The options of each {@link ReceiverSpec}, with variables replaced and defaults filled in:
 * <ul>
 * <li>every type: {@code timeout} ({@link Duration}, default {@link #DEFAULT_TIMEOUT}, at most {@link #MAX_TIMEOUT})</li>
 * <li>webhook: {@code url} (String, http/https), {@code secret} (String, only when set and not empty)</li>
 * <li>slack: {@code url} (String, http/https)</li>
 * <li>email: {@code to} (List&lt;String&gt;, not empty), {@code subject_prefix} (String, only when set)</li>
 * <li>pagerduty: {@code routing_key} (String), {@code url} (String, default {@link #DEFAULT_PAGERDUTY_URL})</li>
 * </ul>
 */
public final class NotifyFileParser {
    public static final List<String> TYPES = List.of("webhook", "slack", "email", "pagerduty");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";
    public static final List<String> DEFAULT_GROUP_BY = List.of("rule");
    /** Severities an equality on {@code severity} may name (anything else would never match). */
    public static final List<String> SEVERITIES = List.of("debug", "info", "warning", "error", "critical");

    private static final List<String> TOP_KEYS = List.of("receivers", "routes", "default_receivers", "fallback_receivers");
    private static final List<String> ROUTE_KEYS = List.of("match", "match_re", "receivers", "group_by", "group_wait",
            "group_interval", "repeat_interval", "continue");

    private final NotifyYaml yaml;
    /** Receiver name -> line, in file order. */
    private final Map<String, Integer> defined = new LinkedHashMap<>();
    private final ReceiverParser receivers;

    private NotifyFileParser(String source, Map<String, String> env) {
        this.yaml = new NotifyYaml(source, env);
        this.receivers = new ReceiverParser(yaml, defined);
    }

    /**
     * @param yamlText   the file's content
     * @param sourceName the file's path, for messages
     * @param env        the variables {@code ${VAR}} may name ({@code System.getenv()} in production)
     * @throws NotifyFileException on the first problem, with its line and reason
     */
    public static NotifySettings parse(String yamlText, String sourceName, Map<String, String> env) {
        return new NotifyFileParser(sourceName, env).parse(yamlText);
    }

    private NotifySettings parse(String text) {
        Node root = yaml.compose(text);
        if (root == null) {
            throw yaml.fail(1, "the file is empty: expected " + String.join(":, ", TOP_KEYS) + ":");
        }
        if (!(root instanceof MappingNode top)) {
            throw yaml.fail(root, "the file must be a mapping with the keys " + String.join(", ", TOP_KEYS));
        }
        Map<String, Node> sections = new LinkedHashMap<>();
        for (NodeTuple t : yaml.entries(top)) {
            String key = yaml.key(t);
            if (!TOP_KEYS.contains(key)) {
                throw yaml.fail(t.getKeyNode(), "unknown key '" + key + "' (known: " + String.join(", ", TOP_KEYS) + ")");
            }
            sections.put(key, t.getValueNode());
        }
        List<ReceiverSpec> receivers = this.receivers.receivers(sections.get("receivers"));
        List<RouteSpec> routes = routes(sections.get("routes"));
        List<String> defaults = receiverNames(sections.get("default_receivers"), "default_receivers", false);
        List<String> fallbacks = receiverNames(sections.get("fallback_receivers"), "fallback_receivers", false);
        return new NotifySettings(List.copyOf(receivers), List.copyOf(routes), defaults, fallbacks);
    }

    // ---------------------------------------------------------------------------------------------- routes

    private List<RouteSpec> routes(Node node) {
        List<RouteSpec> routes = new ArrayList<>();
        List<Node> items = yaml.list(node, "routes");
        for (int i = 0; i < items.size(); i++) {
            routes.add(route(items.get(i), i));
        }
        return routes;
    }

    private RouteSpec route(Node item, int index) {
        String what = "route " + (index + 1);
        if (!(item instanceof MappingNode m)) {
            throw yaml.fail(item, what + " must be a mapping with match: or match_re: and receivers:");
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        List<String> receivers = null;
        List<String> groupBy = DEFAULT_GROUP_BY;
        Duration groupWait = RouteSpec.DEFAULT_GROUP_WAIT;
        Duration groupInterval = RouteSpec.DEFAULT_GROUP_INTERVAL;
        Duration repeatInterval = RouteSpec.DEFAULT_REPEAT_INTERVAL;
        boolean continueMatching = false;
        for (NodeTuple t : yaml.entries(m)) {
            String key = yaml.key(t);
            Node value = t.getValueNode();
            switch (key) {
                case "match" -> matchers.addAll(matchers(value, what, false));
                case "match_re" -> matchers.addAll(matchers(value, what, true));
                case "receivers" -> receivers = receiverNames(value, what, true);
                case "group_by" -> groupBy = groupBy(value, what);
                case "group_wait" -> groupWait = yaml.duration(value, what + ": group_wait");
                case "group_interval" -> groupInterval = yaml.positive(value, what + ": group_interval");
                case "repeat_interval" -> repeatInterval = yaml.positive(value, what + ": repeat_interval");
                case "continue" -> continueMatching = yaml.bool(value, what + ": continue");
                default -> throw yaml.fail(t.getKeyNode(), what + ": unknown key '" + key + "' (keys: "
                        + String.join(", ", ROUTE_KEYS) + ")");
            }
        }
        if (receivers == null || receivers.isEmpty()) {
            throw yaml.fail(item, what + " has no receivers: name at least one of " + definedNames());
        }
        return new RouteSpec(index, List.copyOf(matchers), receivers, groupBy, groupWait, groupInterval, repeatInterval,
                continueMatching, yaml.line(item));
    }

    private List<LabelMatcher> matchers(Node node, String what, boolean regex) {
        String section = regex ? "match_re" : "match";
        if (yaml.isNull(node)) {
            return List.of();
        }
        if (!(node instanceof MappingNode m)) {
            throw yaml.fail(node, what + ": " + section + " must be a mapping of label: " + (regex ? "pattern" : "value")
                    + " (labels: " + String.join(", ", LabelMatcher.LABELS) + ")");
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (NodeTuple t : yaml.entries(m)) {
            String label = yaml.key(t);
            if (!LabelMatcher.LABELS.contains(label)) {
                throw yaml.fail(t.getKeyNode(), what + ": unknown label '" + label + "' in " + section + " (labels: "
                        + String.join(", ", LabelMatcher.LABELS) + ")");
            }
            String value = yaml.string(t.getValueNode(), what + ": " + section + " on '" + label + "'");
            if (value == null) {
                throw yaml.fail(t.getValueNode(), what + ": " + section + " on '" + label + "' has no value"
                        + (regex ? "" : " (write \"\" for alerts without it)"));
            }
            if (!regex && label.equals("severity") && !SEVERITIES.contains(value)) {
                throw yaml.fail(t.getValueNode(), what + ": severity '" + value + "' would never match (severities: "
                        + String.join(", ", SEVERITIES) + ")");
            }
            try {
                matchers.add(LabelMatcher.of(label, value, regex));
            } catch (IllegalArgumentException e) {
                throw yaml.fail(t.getValueNode(), what + ": " + section + " on '" + label + "': " + e.getMessage());
            }
        }
        return matchers;
    }

    private List<String> groupBy(Node node, String what) {
        List<String> labels = new ArrayList<>();
        if (yaml.isNull(node)) {
            return List.of();
        }
        for (Node n : yaml.scalarOrList(node, what + ": group_by")) {
            String label = yaml.string(n, what + ": group_by");
            if (label == null || !LabelMatcher.LABELS.contains(label)) {
                throw yaml.fail(n, what + ": unknown label '" + label + "' in group_by (labels: "
                        + String.join(", ", LabelMatcher.LABELS) + ")");
            }
            if (labels.contains(label)) {
                throw yaml.fail(n, what + ": group_by names '" + label + "' twice");
            }
            labels.add(label);
        }
        return List.copyOf(labels);
    }

    /** A list of defined receiver names (a single name is a list of one). */
    private List<String> receiverNames(Node node, String what, boolean inRoute) {
        if (node == null || yaml.isNull(node)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Node n : yaml.scalarOrList(node, inRoute ? what + ": receivers" : what)) {
            String name = yaml.string(n, inRoute ? what + ": receivers" : what);
            if (name == null || !defined.containsKey(name)) {
                throw yaml.fail(n, what + " names receiver '" + (name == null ? "" : name) + "', which is not defined (defined: "
                        + definedNames() + ")");
            }
            if (names.contains(name)) {
                throw yaml.fail(n, what + " names receiver '" + name + "' twice");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private String definedNames() {
        if (defined.isEmpty()) {
            return "none";
        }
        List<String> names = new ArrayList<>(defined.keySet());
        return names.size() <= 20 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 20)) + ", ... " + (names.size() - 20) + " more";
    }
}
