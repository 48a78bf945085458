package dev.monitoring.monitor.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.monitor.api.BadParameterException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks declared in a file ({@code CHECKS_FILE}, YAML: {@code checks:} and a list with the fields of the API), for
 * checks kept with the rest of an installation's configuration. At start-up they are made or brought up to date, and
 * the checks an earlier version of the file declared that it no longer does are removed; checks made through the API
 * are never touched. A file the monitor cannot read, or a check it refuses, stops the start with the reason: a check
 * silently missing is the failure checks exist to catch.
 */
@ApplicationScoped
public class CheckFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckStore store;
    private final Optional<String> file;

    public CheckFile(CheckStore store, ChecksConfig config) {
        this.store = store;
        this.file = config.file();
    }

    void onStart(@Observes StartupEvent event) {
        file.filter(f -> !f.isBlank()).ifPresent(f -> {
            List<CheckSpec> specs = read(Path.of(f));
            CheckStore.Declared declared = store.declare(specs, "file");
            for (String name : declared.leftAlone()) {
                Log.warnf("Check %s of the checks file is not applied: a check of that name comes from elsewhere", name);
            }
            Log.infof("Checks of %s: %d declared, %d no longer declared removed", f, specs.size(), declared.removed());
        });
    }

    static List<CheckSpec> read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException("CHECKS_FILE " + path + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, path.toString());
    }

    static List<CheckSpec> parse(String text, String source) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new IllegalStateException(source + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("checks") instanceof List<?> list)) {
            throw new IllegalStateException(source + ": expected 'checks:' with a list of checks");
        }
        List<CheckSpec> specs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = JSON.valueToTree(list.get(i));
            try {
                CheckSpec spec = CheckSpec.parse(node, null);
                if (specs.stream().anyMatch(s -> s.name().equals(spec.name()))) {
                    throw new BadParameterException("name", "the check '" + spec.name() + "' is declared twice");
                }
                specs.add(spec);
            } catch (BadParameterException e) {
                throw new IllegalStateException(source + ", check " + (i + 1) + ": " + e.getMessage());
            }
        }
        return specs;
    }
}
