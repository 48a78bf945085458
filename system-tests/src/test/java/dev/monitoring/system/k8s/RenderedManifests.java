package dev.monitoring.system.k8s;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The objects of a Kustomize directory, as the cluster would receive them: rendered by {@code kubectl kustomize}
 * when kubectl is installed, else read from the files its kustomization.yaml lists (resources only, recursively;
 * patches are not applied, so a caller that needs them asks {@link #rendered()}).
 */
final class RenderedManifests {
    private final List<Map<String, Object>> objects;
    private final boolean rendered;

    private RenderedManifests(List<Map<String, Object>> objects, boolean rendered) {
        this.objects = objects;
        this.rendered = rendered;
    }

    static RenderedManifests of(Path kustomizeDir) throws IOException, InterruptedException {
        Optional<String> kubectl = kubectl();
        if (kubectl.isPresent()) {
            return new RenderedManifests(loadAll(kubectlKustomize(kubectl.get(), kustomizeDir)), true);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        readResources(kustomizeDir, objects);
        return new RenderedManifests(objects, false);
    }

    /** True when kubectl rendered them (patches applied); false when read from the listed files. */
    boolean rendered() {
        return rendered;
    }

    List<Map<String, Object>> all() {
        return objects;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(Yamls.name(o))).findFirst();
    }

    static Optional<String> kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static String kubectlKustomize(String kubectl, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString()).redirectErrorStream(false).start();
        String out;
        String err;
        try (InputStream stdout = p.getInputStream(); InputStream stderr = p.getErrorStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
        }
        return out;
    }

    private static void readResources(Path dir, List<Map<String, Object>> into) throws IOException {
        Map<String, Object> kustomization = Yamls.loadOne(dir.resolve("kustomization.yaml"));
        for (Object resource : Yamls.list(kustomization.getOrDefault("resources", List.of()))) {
            Path path = dir.resolve(String.valueOf(resource)).normalize();
            if (Files.isDirectory(path)) {
                readResources(path, into);
            } else {
                try (Reader reader = Files.newBufferedReader(path)) {
                    into.addAll(loadAll(reader));
                }
            }
        }
    }

    private static List<Map<String, Object>> loadAll(String text) {
        return loadAll(new java.io.StringReader(text));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> loadAll(Reader reader) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(reader)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }
}
