package dev.monitoring.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checkout these tests run in, and what the services' own configuration says. */
public final class Repository {
    public static final java.util.List<String> SERVICES = java.util.List.of("monitor-service", "runner-service", "api-gateway");
    /** ${NAME} or ${NAME:default} inside a property value. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    private Repository() {
    }

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no parent folder with docker-compose.yml");
        }
        return dir;
    }

    public static Properties applicationProperties(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(root().resolve(service + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    public static int httpPort(String service) throws IOException {
        return Integer.parseInt(applicationProperties(service).getProperty("quarkus.http.port"));
    }

    /** The port of its management interface (/q/health, /q/metrics). */
    public static int managementPort(String service) throws IOException {
        return Integer.parseInt(applicationProperties(service).getProperty("quarkus.management.port"));
    }

    /**
     * Environment variables the service reads in production (keys without a profile or with %prod), each with its
     * default; a variable without a default maps to null.
     */
    public static Map<String, String> variablesRead(String service) throws IOException {
        Properties properties = applicationProperties(service);
        Map<String, String> read = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%") && !key.startsWith("%prod.")) {
                continue;
            }
            Matcher m = ENV_REFERENCE.matcher(properties.getProperty(key));
            while (m.find()) {
                read.put(m.group(1), m.group(2));
            }
        }
        return read;
    }
}
