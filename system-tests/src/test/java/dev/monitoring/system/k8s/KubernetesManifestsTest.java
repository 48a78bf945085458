package dev.monitoring.system.k8s;

import dev.monitoring.system.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.monitoring.system.k8s.Yamls.at;
import static dev.monitoring.system.k8s.Yamls.containers;
import static dev.monitoring.system.k8s.Yamls.list;
import static dev.monitoring.system.k8s.Yamls.listAt;
import static dev.monitoring.system.k8s.Yamls.map;
import static dev.monitoring.system.k8s.Yamls.mapAt;
import static dev.monitoring.system.k8s.Yamls.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * k8s/ cannot be applied here (no cluster), so this checks the objects Kustomize produces against the services' own
 * configuration and docker-compose.yml: probes, resources, environment, selectors, exposure, images and ports.
 */
class KubernetesManifestsTest {
    /** Set for the platform or the image's JVM run script, not read from application.properties. */
    private static final Set<String> PLATFORM_VARIABLES = Set.of("KUBERNETES_NAMESPACE", "JAVA_MAX_MEM_RATIO");
    private static final Pattern URL = Pattern.compile("^(?:https?|rediss?)://(?:[^@/]*@)?([a-z0-9-]+):(\\d+)");

    private static Path root;
    private static RenderedManifests base;
    private static RenderedManifests external;
    private static Map<String, Object> compose;
    private static Map<String, Object> secretTemplate;

    @BeforeAll
    static void render() throws Exception {
        root = Repository.root();
        base = RenderedManifests.of(root.resolve("k8s/base"));
        external = RenderedManifests.of(root.resolve("k8s/overlays/external-services"));
        compose = Yamls.loadOne(root.resolve("docker-compose.yml"));
        secretTemplate = Yamls.loadOne(root.resolve("k8s/secret.template.yaml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/external-services"})
    void kustomizationListsOnlyFilesThatExist(String dir) throws IOException {
        Path folder = root.resolve(dir);
        Map<String, Object> kustomization = Yamls.loadOne(folder.resolve("kustomization.yaml"));
        List<Object> listed = new java.util.ArrayList<>(list(kustomization.get("resources")));
        for (Object patch : list(kustomization.get("patches"))) {
            Object path = map(patch).get("path");
            if (path != null) {
                listed.add(path);
            }
        }
        assertThat(listed).isNotEmpty();
        for (Object entry : listed) {
            assertThat(folder.resolve(String.valueOf(entry)).normalize()).as("%s lists %s", dir, entry).exists();
        }
    }

    @Test
    void baseHasTheThreeServicesWithTheirConfigurationAndTheInfrastructure() {
        for (String service : Repository.SERVICES) {
            assertThat(base.find("Deployment", service)).as("Deployment %s", service).isPresent();
            assertThat(base.find("Service", service)).as("Service %s", service).isPresent();
            assertThat(base.find("PodDisruptionBudget", service)).as("PodDisruptionBudget %s", service).isPresent();
        }
        assertThat(base.ofKind("HorizontalPodAutoscaler")).map(h -> String.valueOf(at(h, "spec", "scaleTargetRef", "name")))
                .containsExactlyInAnyOrder("api-gateway", "monitor-service");
        assertThat(base.find("ConfigMap", "monitoring-config")).isPresent();
        assertThat(base.find("Deployment", "redis")).isPresent();
        assertThat(base.find("StatefulSet", "postgres")).isPresent();
        assertThat(base.ofKind("Secret")).as("no Secret in git: it is created from k8s/secret.template.yaml").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void probesAndTheScrapeCheckTheServicesManagementPort(String service) throws IOException {
        int port = Repository.httpPort(service);
        int management = Repository.managementPort(service);
        Map<String, Object> container = onlyContainer(service);

        assertThat(management).as("the management port of %s: its HTTP port + 1000", service).isEqualTo(port + 1000);
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(at(container, probe, "httpGet", "path")).as("%s path", probe).isEqualTo(switch (probe) {
                case "livenessProbe" -> "/q/health/live";
                case "readinessProbe" -> "/q/health/ready";
                default -> "/q/health/started";
            });
            assertThat(at(container, probe, "httpGet", "port")).as("%s port", probe).isEqualTo(management);
        }
        // the generator's order of the two varies from one generation to the next
        assertThat(listAt(container, "ports")).map(p -> map(p).get("containerPort")).containsExactlyInAnyOrder(port, management);
        Map<String, Object> pod = mapAt(base.find("Deployment", service).orElseThrow(), "spec", "template");
        assertThat(at(pod, "metadata", "annotations", "prometheus.io/port")).as("the scrape port of %s", service)
                .isEqualTo(String.valueOf(management));
        assertThat(environment(service).get("MANAGEMENT_HOST")).as("MANAGEMENT_HOST of %s: the kubelet probes the pod's address", service)
                .containsEntry("value", "0.0.0.0");
    }

    @Test
    void everyContainerHasRequestsWithinLimits() {
        for (String kind : List.of("Deployment", "StatefulSet")) {
            for (Map<String, Object> workload : base.ofKind(kind)) {
                for (Map<String, Object> container : containers(workload)) {
                    String what = kind + " " + name(workload) + " container " + container.get("name");
                    for (String resource : List.of("cpu", "memory")) {
                        Object request = at(container, "resources", "requests", resource);
                        Object limit = at(container, "resources", "limits", resource);
                        assertThat(request).as("%s requests.%s", what, resource).isNotNull();
                        assertThat(limit).as("%s limits.%s", what, resource).isNotNull();
                        assertThat(Quantities.parse(String.valueOf(request)))
                                .as("%s %s request <= limit", what, resource)
                                .isLessThanOrEqualTo(Quantities.parse(String.valueOf(limit)));
                    }
                    assertThat(at(container, "livenessProbe")).as("%s livenessProbe", what).isNotNull();
                    assertThat(at(container, "readinessProbe")).as("%s readinessProbe", what).isNotNull();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void everyVariableSetIsReadByTheServiceAndEveryRequiredOneIsSet(String service) throws IOException {
        Map<String, String> read = Repository.variablesRead(service);
        Map<String, Map<String, Object>> env = environment(service);

        env.keySet().stream().filter(v -> !PLATFORM_VARIABLES.contains(v)).forEach(variable ->
                assertThat(read).as("%s sets %s: its application.properties must read it", service, variable)
                        .containsKey(variable));
        read.forEach((variable, fallback) -> {
            if (fallback == null || fallback.contains("localhost") || fallback.contains("127.0.0.1")) {
                assertThat(env).as("%s must set %s (default %s means the pod itself or nothing)", service, variable,
                        fallback).containsKey(variable);
            }
        });
        assertThat(env.get("HTTP_HOST")).as("HTTP_HOST of %s", service).containsEntry("value", "0.0.0.0");
        assertThat(env.keySet()).as("%s sets every variable docker-compose.yml sets", service)
                .containsAll(map(at(compose, "services", service, "environment")).keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void configMapAndSecretReferencesResolve(String service) {
        Map<String, Object> config = mapAt(base.find("ConfigMap", "monitoring-config").orElseThrow(), "data");
        Map<String, Object> secretKeys = mapAt(secretTemplate, "stringData");

        environment(service).forEach((variable, entry) -> {
            Map<String, Object> fromConfig = mapAt(entry, "valueFrom", "configMapKeyRef");
            Map<String, Object> fromSecret = mapAt(entry, "valueFrom", "secretKeyRef");
            if (!fromConfig.isEmpty()) {
                assertThat(fromConfig.get("name")).isEqualTo("monitoring-config");
                assertThat(config).as("%s: %s from monitoring-config", service, variable).containsKey(String.valueOf(fromConfig.get("key")));
            }
            if (!fromSecret.isEmpty()) {
                assertThat(fromSecret.get("name")).isEqualTo("monitoring-secrets");
                assertThat(secretKeys).as("%s: %s from the secret template", service, variable)
                        .containsKey(String.valueOf(fromSecret.get("key")));
            }
        });
    }

    @Test
    void urlsInTheConfigurationPointAtServicesOnTheirPorts() {
        Map<String, Object> values = new LinkedHashMap<>(mapAt(base.find("ConfigMap", "monitoring-config").orElseThrow(), "data"));
        for (String key : List.of("MONITOR_REDIS_URL", "RUNNER_REDIS_URL", "GATEWAY_REDIS_URL")) {
            values.put(key, mapAt(secretTemplate, "stringData").get(key));
        }
        int urls = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Matcher m = URL.matcher(String.valueOf(e.getValue()));
            // the management ports are added to the Services by a patch, which only kubectl applies
            if (m.find() && (base.rendered() || !e.getKey().endsWith("_MANAGEMENT_URL"))) {
                urls++;
                assertThat(servicePorts(base, m.group(1))).as("%s -> Service %s port", e.getKey(), m.group(1))
                        .contains(Integer.parseInt(m.group(2)));
            }
        }
        assertThat(urls).isEqualTo(base.rendered() ? 7 : 5);
        assertThat(servicePorts(base, String.valueOf(values.get("PG_HOST")))).contains(Integer.parseInt(String.valueOf(values.get("PG_PORT"))));
    }

    /**
     * Issue 17: every service reaches Redis as its own user of redis-users.acl (the gateway's may neither publish nor
     * append to a stream) and PostgreSQL as its own role (postgres-init.sh), never as the superuser.
     */
    @Test
    void eachServiceHasItsOwnRedisUserAndPostgresRole() throws java.io.IOException {
        String acl = java.nio.file.Files.readString(root.resolve("k8s/base/redis-users.acl"));
        Map<String, String> users = new LinkedHashMap<>();
        for (String line : acl.lines().filter(l -> l.startsWith("user ")).toList()) {
            users.put(line.split(" ")[1], line);
        }
        assertThat(users).containsKeys("default", "monitor", "runner", "gateway", "producer");
        assertThat(users.get("default")).contains("-@all").contains("+ping").doesNotContain("~");
        assertThat(users.get("gateway")).contains("-@all").doesNotContain("+publish").doesNotContain("+xadd").doesNotContain("+@write");
        assertThat(users.get("monitor")).doesNotContain("~runner:").doesNotContain("~*");
        assertThat(users.get("producer")).doesNotContain("&alerts").doesNotContain("&notifications");
        Map<String, Object> secrets = mapAt(secretTemplate, "stringData");
        for (String service : List.of("monitor-service", "runner-service", "api-gateway")) {
            Map<String, Map<String, Object>> env = environment(service);
            String key = String.valueOf(mapAt(env.get("REDIS_URL"), "valueFrom", "secretKeyRef").get("key"));
            String user = service.equals("api-gateway") ? "gateway" : service.substring(0, service.indexOf('-'));
            assertThat(String.valueOf(secrets.get(key))).as("%s's Redis URL (%s)", service, key).startsWith("redis://" + user + ":");
            if (!service.equals("api-gateway")) {
                assertThat(env.get("PG_USER").get("value")).as("%s's PostgreSQL role", service).isEqualTo(user);
            } else {
                assertThat(env).as("the gateway has no database access").doesNotContainKeys("PG_USER", "PG_PASSWORD");
            }
        }
        Map<String, Object> redis = base.find("Deployment", "redis").orElseThrow();
        Map<String, Object> container = containers(redis).get(0);
        assertThat(listAt(container, "command")).containsExactly("/bin/sh", "/etc/redis/redis-start.sh");
        assertThat(java.nio.file.Files.readString(root.resolve("k8s/base/redis-start.sh"))).contains("--aclfile");
        assertThat(java.nio.file.Files.readString(root.resolve("k8s/base/postgres-init.sh")))
                .contains("CREATE SCHEMA monitor AUTHORIZATION monitor").contains("CREATE SCHEMA runner AUTHORIZATION runner")
                .contains("NOSUPERUSER");
        assertThat(java.nio.file.Files.readString(root.resolve("k8s/base/kustomization.yaml")))
                .contains("redis-users.acl").contains("postgres-init.sh");
        assertThat(java.nio.file.Files.readString(root.resolve("k8s/base/networkpolicy.yaml"))).contains("values: [redis, postgres]");
    }

    @Test
    void everySelectorMatchesAWorkload() {
        for (Map<String, Object> service : base.ofKind("Service")) {
            Map<String, Object> selector = mapAt(service, "spec", "selector");
            assertThat(workloadsSelectedBy(selector)).as("Service %s selects exactly one workload", name(service)).hasSize(1);
            Set<Object> targetPorts = new HashSet<>();
            listAt(service, "spec", "ports").forEach(p -> targetPorts.add(map(p).get("targetPort")));
            Map<String, Object> workload = workloadsSelectedBy(selector).get(0);
            Set<Object> containerPorts = new HashSet<>();
            containers(workload).forEach(c -> listAt(c, "ports").forEach(p -> containerPorts.add(map(p).get("containerPort"))));
            assertThat(containerPorts).as("Service %s targets its pods' ports", name(service)).containsAll(targetPorts);
        }
        for (Map<String, Object> pdb : base.ofKind("PodDisruptionBudget")) {
            List<Map<String, Object>> selected = workloadsSelectedBy(mapAt(pdb, "spec", "selector", "matchLabels"));
            assertThat(selected).as("PDB %s", name(pdb)).hasSize(1);
            Object minAvailable = at(pdb, "spec", "minAvailable");
            if (minAvailable instanceof Integer min && base.rendered()) {
                assertThat(min).as("PDB %s minAvailable below the replicas, or no node can ever be drained", name(pdb))
                        .isLessThan((Integer) at(selected.get(0), "spec", "replicas"));
            }
        }
        for (String kind : List.of("Deployment", "StatefulSet")) {
            for (Map<String, Object> workload : base.ofKind(kind)) {
                Map<String, Object> labels = mapAt(workload, "spec", "template", "metadata", "labels");
                assertThat(labels).as("%s %s: its own selector matches its pods", kind, name(workload))
                        .containsAllEntriesOf(mapAt(workload, "spec", "selector", "matchLabels"));
            }
        }
        for (Map<String, Object> hpa : base.ofKind("HorizontalPodAutoscaler")) {
            String target = String.valueOf(at(hpa, "spec", "scaleTargetRef", "name"));
            assertThat(base.find("Deployment", target)).as("HPA %s target", name(hpa)).isPresent();
        }
    }

    @Test
    void onlyTheGatewayIsExposed() {
        for (Map<String, Object> service : base.ofKind("Service")) {
            assertThat(at(service, "spec", "type")).as("Service %s type", name(service)).isIn(null, "ClusterIP");
        }
        List<Map<String, Object>> ingresses = base.ofKind("Ingress");
        assertThat(ingresses).hasSize(1);
        for (Object rule : listAt(ingresses.get(0), "spec", "rules")) {
            for (Object path : listAt(rule, "http", "paths")) {
                assertThat(at(path, "backend", "service", "name")).isEqualTo("api-gateway");
                // the gateway's HTTP port only: its management port (probes, metrics) is not even on its Service
                assertThat(at(path, "backend", "service", "port", "name")).isEqualTo("http").isIn(servicePortNames(base, "api-gateway"));
            }
        }
        assertThat(servicePortNames(base, "api-gateway")).containsExactly("http");
        for (String kind : List.of("Deployment", "StatefulSet")) {
            for (Map<String, Object> workload : base.ofKind(kind)) {
                assertThat(at(workload, "spec", "template", "spec", "hostNetwork")).isIn(null, false);
                containers(workload).forEach(c -> listAt(c, "ports").forEach(p ->
                        assertThat(map(p)).as("%s %s hostPort", kind, name(workload)).doesNotContainKey("hostPort")));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor-service", "runner-service", "api-gateway"})
    void imageAndPortAgreeWithDockerCompose(String service) throws IOException {
        Map<String, Object> composeService = mapAt(compose, "services", service);
        String image = String.valueOf(onlyContainer(service).get("image"));
        String repository = image.substring(0, image.lastIndexOf(':'));

        assertThat(repository.substring(repository.lastIndexOf('/') + 1)).as("image of %s", service).isEqualTo(service);
        assertThat(root.resolve(String.valueOf(at(composeService, "build", "context"))).normalize()).isEqualTo(root.resolve(service));
        String dockerfile = Files.readString(root.resolve(service).resolve(String.valueOf(at(composeService, "build", "dockerfile"))));
        List<String> podPorts = listAt(onlyContainer(service), "ports").stream().map(p -> String.valueOf(map(p).get("containerPort")))
                .sorted().toList();
        assertThat(dockerfile).contains("EXPOSE " + String.join(" ", podPorts));
        List<String> composePorts = new java.util.ArrayList<>();
        list(composeService.get("expose")).forEach(p -> composePorts.add(String.valueOf(p)));
        list(composeService.get("ports")).forEach(p -> composePorts.add(String.valueOf(p).replaceAll(".*:", "")));
        // compose publishes the gateway's HTTP port only; the others expose both of theirs on the compose network
        assertThat(composePorts).as("docker-compose ports of %s", service).contains(podPorts.get(0)).isSubsetOf(podPorts);
    }

    /** Issue 8: the event streams are the durable path, so the bundled Redis keeps them on disk (AOF) in both installs. */
    @Test
    void bundledRedisKeepsTheEventStreamsOnDisk() {
        Map<String, Object> redis = containers(base.find("Deployment", "redis").orElseThrow()).get(0);
        assertThat(String.join(" ", list(redis.get("args")).stream().map(String::valueOf).toList()))
                .contains("--appendonly yes").contains("--maxmemory-policy noeviction");
        assertThat(list(redis.get("volumeMounts"))).isNotEmpty();
        assertThat(String.join(" ", list(at(compose, "services", "redis", "command")).stream().map(String::valueOf).toList()))
                .contains("--appendonly yes").contains("--maxmemory-policy noeviction");
        assertThat(list(at(compose, "services", "redis", "volumes"))).isNotEmpty();
    }

    @Test
    void infrastructureImagesAreTheOnesDockerComposeUses() {
        assertThat(containers(base.find("Deployment", "redis").orElseThrow()).get(0).get("image"))
                .isEqualTo(at(compose, "services", "redis", "image"));
        assertThat(containers(base.find("StatefulSet", "postgres").orElseThrow()).get(0).get("image"))
                .isEqualTo(at(compose, "services", "postgres", "image"));
    }

    @Test
    void externalServicesOverlayDropsTheBundledInfrastructureAndKeepsTheServices() {
        assumeTrue(external.rendered(), "needs kubectl to apply the overlay's patches");
        assertThat(external.find("Deployment", "redis")).isEmpty();
        assertThat(external.find("StatefulSet", "postgres")).isEmpty();
        assertThat(external.find("Service", "postgres")).isEmpty();
        for (String service : Repository.SERVICES) {
            assertThat(external.find("Deployment", service)).isPresent();
        }
        Map<String, Object> config = mapAt(external.find("ConfigMap", "monitoring-config").orElseThrow(), "data");
        assertThat(config.get("PG_HOST")).isNotEqualTo("postgres");
        assertThat(config).containsKeys("PG_PORT", "PG_DATABASE", "MONITOR_URL", "RUNNER_URL", "CHANNEL_ERRORS");
    }

    private static Map<String, Object> onlyContainer(String service) {
        List<Map<String, Object>> containers = containers(base.find("Deployment", service).orElseThrow());
        assertThat(containers).as("containers of %s", service).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Map<String, Object>> environment(String service) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        listAt(onlyContainer(service), "env").forEach(e -> env.put(String.valueOf(map(e).get("name")), map(e)));
        return env;
    }

    private static List<Map<String, Object>> workloadsSelectedBy(Map<String, Object> selector) {
        assertThat(selector).isNotEmpty();
        List<Map<String, Object>> matching = new java.util.ArrayList<>();
        for (String kind : List.of("Deployment", "StatefulSet")) {
            for (Map<String, Object> workload : base.ofKind(kind)) {
                if (mapAt(workload, "spec", "template", "metadata", "labels").entrySet().containsAll(selector.entrySet())) {
                    matching.add(workload);
                }
            }
        }
        return matching;
    }

    private static List<Integer> servicePorts(RenderedManifests manifests, String service) {
        return listAt(manifests.find("Service", service).orElseThrow(() -> new AssertionError("no Service " + service)), "spec", "ports")
                .stream().map(p -> (Integer) map(p).get("port")).toList();
    }

    private static List<Object> servicePortNames(RenderedManifests manifests, String service) {
        return listAt(manifests.find("Service", service).orElseThrow(), "spec", "ports").stream().map(p -> map(p).get("name")).toList();
    }
}
