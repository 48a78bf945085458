package dev.monitoring.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be run on the machines of this project (no Docker engine), so this
 * checks what can be checked without it: every service, port, Dockerfile and environment variable
 * the file names against the services' own configuration.
 */
class ComposeFileTest {
    private static final List<String> APP_SERVICES = List.of("monitor-service", "runner-service", "api-gateway");
    /** ${NAME or ${NAME:default} inside a property value. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    private static Path root;
    private static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() throws IOException {
        root = repositoryRoot();
        try (Reader reader = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = map(compose.get("services"));
        }
    }

    @Test
    void declaresInfrastructureAndTheThreeServices() {
        assertThat(services).containsOnlyKeys("redis", "postgres", "monitor-service", "runner-service", "api-gateway");
    }

    @Test
    void everyServiceIsHealthChecked() {
        services.forEach((name, service) ->
                assertThat(map(service)).as("healthcheck of %s", name).containsKey("healthcheck"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void buildsFromTheServicesJvmDockerfile(String name) throws IOException {
        Map<String, Object> build = map(service(name).get("build"));
        Path context = root.resolve((String) build.get("context")).normalize();
        Path dockerfile = context.resolve((String) build.get("dockerfile"));

        assertThat(context).isEqualTo(root.resolve(name));
        assertThat(dockerfile).exists().isEqualTo(root.resolve(name + "/src/main/docker/Dockerfile.jvm"));
        String text = Files.readString(dockerfile);
        assertThat(text).contains("FROM registry.access.redhat.com/ubi9/openjdk-17")
                .contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/")
                .contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"")
                .contains("EXPOSE " + httpPort(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void exposesItsHttpAndManagementPortsAndHealthChecksTheManagementPort(String name) throws IOException {
        int port = httpPort(name);
        int management = managementPort(name);
        Map<String, Object> service = service(name);

        assertThat(management).as("the management port of %s: its HTTP port + 1000", name).isEqualTo(port + 1000);
        assertThat(String.valueOf(map(service.get("healthcheck")).get("test")))
                .contains("http://localhost:" + management + "/q/health/ready");
        if (service.containsKey("expose")) {
            assertThat(list(service.get("expose"))).map(String::valueOf)
                    .containsExactly(String.valueOf(port), String.valueOf(management));
        }
    }

    @Test
    void onlyTheGatewayIsPublishedOnItsOwnPort() throws IOException {
        services.forEach((name, service) -> {
            if (!name.equals("api-gateway")) {
                assertThat(map(service)).as("%s must not publish a port", name).doesNotContainKey("ports");
            }
        });
        List<Object> ports = list(service("api-gateway").get("ports"));
        assertThat(ports).hasSize(1);
        String mapping = String.valueOf(ports.get(0));
        assertThat(mapping.substring(mapping.lastIndexOf(':') + 1)).isEqualTo(String.valueOf(httpPort("api-gateway")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void everyVariableTheComposeFileSetsIsReadByTheService(String name) throws IOException {
        Set<String> read = variablesRead(name).keySet();

        assertThat(environment(name).keySet()).as("variables set for %s but not read by its application.properties", name)
                .isNotEmpty()
                .allSatisfy(variable -> assertThat(read).as("%s reads %s", name, variable).contains(variable));
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void everyVariableThatDefaultsToLocalhostIsSetForTheContainer(String name) throws IOException {
        Map<String, Object> env = environment(name);

        variablesRead(name).forEach((variable, fallback) -> {
            if (fallback.contains("localhost") || fallback.contains("127.0.0.1")) {
                assertThat(env).as("%s must set %s: its default %s means the container itself", name, variable, fallback)
                        .containsKey(variable);
            }
        });
        assertThat(env).containsEntry("HTTP_HOST", "0.0.0.0").containsEntry("MANAGEMENT_HOST", "0.0.0.0");
    }

    @Test
    void urlsPointAtComposeServicesOnTheirOwnPorts() throws IOException {
        Pattern url = Pattern.compile("^(?:https?|redis)://([a-z0-9-]+):(\\d+)");
        for (String name : APP_SERVICES) {
            for (Map.Entry<String, Object> e : environment(name).entrySet()) {
                Matcher m = url.matcher(String.valueOf(e.getValue()));
                if (!m.find()) {
                    continue;
                }
                String target = m.group(1);
                int port = Integer.parseInt(m.group(2));
                assertThat(services).as("%s.%s names a compose service", name, e.getKey()).containsKey(target);
                int expected = switch (target) {
                    case "redis" -> 6379;
                    case "postgres" -> 5432;
                    default -> e.getKey().endsWith("_MANAGEMENT_URL") ? managementPort(target) : httpPort(target);
                };
                assertThat(port).as("%s.%s port", name, e.getKey()).isEqualTo(expected);
                assertThat(dependsOn(name)).as("%s depends on %s", name, target).contains(target);
            }
        }
    }

    @Test
    void databaseSettingsMatchThePostgresService() throws IOException {
        Map<String, Object> postgres = map(service("postgres").get("environment"));
        String init = Files.readString(root.resolve("k8s/base/postgres-init.sh"));
        assertThat(list(service("postgres").get("volumes"))).contains("./k8s/base/postgres-init.sh:/docker-entrypoint-initdb.d/10-service-roles.sh:ro");
        for (String name : List.of("monitor-service", "runner-service")) {
            Map<String, Object> env = environment(name);
            String role = name.substring(0, name.indexOf('-'));
            String password = "PG_" + role.toUpperCase() + "_PASSWORD";
            // its own role, made by the init script with the password the postgres container gets: never the superuser
            assertThat(env).containsEntry("PG_HOST", "postgres").containsEntry("PG_PORT", "5432")
                    .containsEntry("PG_DATABASE", postgres.get("POSTGRES_DB"))
                    .containsEntry("PG_USER", role)
                    .containsEntry("PG_PASSWORD", "${" + password + "}");
            assertThat(String.valueOf(postgres.get(password))).startsWith("${" + password + ":?");
            assertThat(env.get("PG_USER")).isNotEqualTo(postgres.get("POSTGRES_USER"));
            assertThat(init).contains("CREATE ROLE " + role + " LOGIN PASSWORD").contains("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
            assertThat(dependsOn(name)).contains("postgres", "redis");
        }
        assertThat(environment("api-gateway")).as("the gateway has no database access").doesNotContainKeys("PG_USER", "PG_PASSWORD");
    }

    /** Each service reaches Redis as its own user of redis-users.acl, which the Redis container starts with. */
    @Test
    void eachServiceUsesItsOwnRedisUser() throws IOException {
        Map<String, Object> redis = service("redis");
        assertThat(list(redis.get("entrypoint"))).containsExactly("/bin/sh", "/etc/redis/redis-start.sh");
        assertThat(list(redis.get("volumes"))).contains("./k8s/base/redis-users.acl:/etc/redis/redis-users.acl:ro",
                "./k8s/base/redis-start.sh:/etc/redis/redis-start.sh:ro");
        String acl = Files.readString(root.resolve("k8s/base/redis-users.acl"));
        for (String name : APP_SERVICES) {
            String user = name.equals("api-gateway") ? "gateway" : name.substring(0, name.indexOf('-'));
            String password = "REDIS_" + user.toUpperCase() + "_PASSWORD";
            assertThat(environment(name)).containsEntry("REDIS_URL", "redis://" + user + ":${" + password + "}@redis:6379");
            assertThat(map(redis.get("environment"))).containsKey(password);
            assertThat(acl).contains("user " + user + " on #@" + user.toUpperCase() + "@");
        }
    }

    @Test
    void servicesWaitForHealthyDependencies() {
        for (String name : APP_SERVICES) {
            map(service(name).get("depends_on")).forEach((dependency, condition) ->
                    assertThat(map(condition)).as("%s waits for %s", name, dependency)
                            .containsEntry("condition", "service_healthy"));
        }
    }

    @Test
    void gatewayPasswordsComeFromTheEnvironmentWithoutDefaults() {
        Map<String, Object> env = environment("api-gateway");

        assertThat(String.valueOf(env.get("GATEWAY_ADMIN_PASSWORD"))).startsWith("${GATEWAY_ADMIN_PASSWORD:?");
        assertThat(String.valueOf(env.get("GATEWAY_VIEWER_PASSWORD"))).startsWith("${GATEWAY_VIEWER_PASSWORD:?");
    }

    /** Environment variables a service reads outside the test and dev profiles, with their defaults. */
    private static Map<String, String> variablesRead(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(root.resolve(name + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        Map<String, String> read = new java.util.TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%") && !key.startsWith("%prod.")) {
                continue;
            }
            Matcher m = ENV_REFERENCE.matcher(properties.getProperty(key));
            while (m.find()) {
                read.put(m.group(1), m.group(2) == null ? "" : m.group(2));
            }
        }
        return read;
    }

    private static int httpPort(String name) {
        return port(name, "quarkus.http.port");
    }

    private static int managementPort(String name) {
        return port(name, "quarkus.management.port");
    }

    private static int port(String name, String key) {
        try {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(root.resolve(name + "/src/main/resources/application.properties"))) {
                properties.load(reader);
            }
            String port = properties.getProperty(key);
            assertThat(port).as("%s of %s", key, name).isNotNull().matches("\\d+");
            return Integer.parseInt(port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> environment(String name) {
        return map(service(name).get("environment"));
    }

    private static Set<String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        return dependsOn instanceof List<?> l
                ? new LinkedHashSet<>(l.stream().map(String::valueOf).toList())
                : map(dependsOn).keySet();
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a parent folder with docker-compose.yml").isNotNull();
        return dir;
    }
}
