package dev.monitoring.monitor.notify.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The values of one {@code NOTIFY_FILE} as its checks read them: scalars with {@code ${VAR}} replaced, durations,
 * booleans, lists, mappings that refuse a key given twice; every refusal names the file, the line and the reason.
 */
final class NotifyYaml {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> TRUE = Set.of("true", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "no", "off");

    private final String source;
    private final Map<String, String> env;

    NotifyYaml(String source, Map<String, String> env) {
        this.source = Objects.requireNonNull(source, "source");
        this.env = Objects.requireNonNull(env, "env");
    }

    Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(1024 * 1024);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            if (e.getProblem() != null && e.getContext() != null) {
                problem = problem + " (" + e.getContext() + ")";
            }
            throw fail(mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + problem);
        } catch (YAMLException e) {
            throw fail(0, "not valid YAML: " + e.getMessage());
        }
    }

    Duration positive(Node node, String what) {
        Duration d = duration(node, what);
        if (d.isZero()) {
            throw fail(node, what + " must be more than 0s");
        }
        return d;
    }

    Duration duration(Node node, String what) {
        String text = string(node, what);
        return NotifyDurations.parse(text == null ? null : text.strip()).orElseThrow(() -> fail(node, what + " '"
                + (text == null ? "" : text) + "' is not a duration (write e.g. 500ms, 10s, 5m, 4h, 1d)"));
    }

    boolean bool(Node node, String what) {
        String text = string(node, what);
        String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        throw fail(node, what + " must be true or false, not '" + (text == null ? "" : text) + "'");
    }

    String optionalString(NodeTuple entry, String what) {
        return entry == null ? null : string(entry.getValueNode(), what);
    }

    /** The scalar with variables replaced; null for a YAML null ({@code ~}, nothing). */
    String string(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw fail(node, what + " must be a single value, not a " + (node instanceof SequenceNode ? "list" : "mapping"));
        }
        if (Tag.NULL.equals(s.getTag())) {
            return null;
        }
        return substitute(s.getValue(), node);
    }

    /**
     * {@code ${VAR}}, {@code ${VAR:default}}; {@code $${} is a literal {@code ${}. An unset or empty variable takes the
     * default (like the application's own configuration); without one it is an error.
     */
    String substitute(String text, Node node) {
        if (!text.contains("${")) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            if (start > 0 && text.charAt(start - 1) == '$') {
                out.append(text, i, start - 1).append("${");
                i = start + 2;
                continue;
            }
            out.append(text, i, start);
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw fail(node, "'${' without its closing '}' (write $${ for a literal ${)");
            }
            String inner = text.substring(start + 2, end);
            int colon = inner.indexOf(':');
            String name = colon < 0 ? inner : inner.substring(0, colon);
            if (!VARIABLE.matcher(name).matches()) {
                throw fail(node, "'${" + name + "}' is not a variable name (letters, digits and _)");
            }
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                if (colon < 0) {
                    throw fail(node, "variable " + name + " is not set (write ${" + name + ":default} to give a default)");
                }
                value = inner.substring(colon + 1);
            }
            out.append(value);
            i = end + 1;
        }
        return out.toString();
    }

    List<Node> list(Node node, String what) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode s)) {
            throw fail(node, what + " must be a list (items starting with '- ')");
        }
        return s.getValue();
    }

    List<Node> scalarOrList(Node node, String what) {
        if (node instanceof ScalarNode) {
            return List.of(node);
        }
        if (!(node instanceof SequenceNode s)) {
            throw fail(node, what + " must be a list, not a mapping");
        }
        return s.getValue();
    }

    /** The entries of a mapping, refusing a key given twice (YAML would silently keep the last). */
    List<NodeTuple> entries(MappingNode m) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            Integer first = seen.putIfAbsent(key, line(t.getKeyNode()));
            if (first != null) {
                throw fail(t.getKeyNode(), "key '" + key + "' is given twice (first on line " + first + ")");
            }
        }
        return m.getValue();
    }

    String key(NodeTuple t) {
        if (!(t.getKeyNode() instanceof ScalarNode s) || Tag.NULL.equals(s.getTag())) {
            throw fail(t.getKeyNode(), "a key must be a plain name");
        }
        return s.getValue();
    }

    boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    NotifyFileException fail(Node node, String reason) {
        return fail(line(node), reason);
    }

    NotifyFileException fail(int line, String reason) {
        return new NotifyFileException(source, line, reason);
    }
}
