package dev.monitoring.system.k8s;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML without a model: paths of keys, with empty values for what is absent. */
final class Yamls {
    private Yamls() {
    }

    static Map<String, Object> loadOne(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return map(new Yaml().load(reader));
        }
    }

    static String name(Map<String, Object> object) {
        return String.valueOf(map(object.get("metadata")).get("name"));
    }

    /** The value at a path of keys, or null. */
    static Object at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static Map<String, Object> mapAt(Object node, String... keys) {
        return map(at(node, keys));
    }

    static List<Object> listAt(Object node, String... keys) {
        return list(at(node, keys));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> ? (List<Object>) o : List.of();
    }

    /** The pod template's containers of a Deployment or StatefulSet. */
    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return listAt(workload, "spec", "template", "spec", "containers").stream().map(Yamls::map).toList();
    }
}
