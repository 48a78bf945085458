package dev.monitoring.system.services;

import dev.monitoring.system.Repository;
import dev.monitoring.testsupport.Ports;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real instance of a packaged service ({@code <service>/target/quarkus-app}) started as a child process on a free
 * loopback port, with the system tests' own database and channels. Several instances of the same service run side by
 * side against the same Redis and PostgreSQL: that is what scale-out means here.
 *
 * <p>The application folder is copied once into target/apps first, so a concurrent rebuild of a service does not
 * pull the jar from under running instances. Every instance is killed by {@link #kill()} and, as a last resort,
 * by a JVM shutdown hook.
 */
final class ServiceInstance {
    static final String DATABASE = "monitoring_test_system";
    static final String ERRORS = "test.system.errors";
    static final String EXECUTIONS = "test.system.executions";
    static final String ALERTS = "test.system.alerts";
    /** Every instance runs with this -Xmx. */
    static final int HEAP_MIB = 256;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private static final Set<ServiceInstance> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(ServiceInstance::kill)));
    }

    private final String service;
    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;
    private final long launchedAt = System.nanoTime();
    private volatile Duration readyAfter;
    private volatile long rssAfterStartKib;

    private ServiceInstance(String service, String name, int port, int managementPort, Process process, Path log) {
        this.service = service;
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /** Starts an instance; {@link #awaitReady()} waits for it. */
    static ServiceInstance start(String service, String name, Map<String, String> extraEnv) {
        return start(service, name, extraEnv, List.of());
    }

    /** Starts an instance with extra JVM options (after the defaults, so they win); {@link #awaitReady()} waits for it. */
    static ServiceInstance start(String service, String name, Map<String, String> extraEnv, List<String> jvmOptions) {
        Path app = appCopy(service);
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MIB + "m", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("PG_DATABASE", DATABASE);
        env.put("CHANNEL_ERRORS", ERRORS);
        env.put("CHANNEL_EXECUTIONS", EXECUTIONS);
        env.put("CHANNEL_ALERTS", ALERTS);
        env.putAll(extraEnv);
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        try {
            ServiceInstance instance = new ServiceInstance(service, name, port, managementPort, builder.start(), log);
            RUNNING.add(instance);
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Starts several instances at once and waits until every one is ready. */
    static List<ServiceInstance> startAll(String service, int count, Map<String, String> extraEnv) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            instances.add(start(service, service + "-" + i, extraEnv));
        }
        instances.forEach(ServiceInstance::awaitReady);
        return instances;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Its management interface: /q/health and /q/metrics. */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** CPU time (user + system) this instance's process has used so far, in ms; -1 when unknown. */
    long cpuMillis() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /**
     * CPU time (user + system) used so far by this instance's threads named {@code threadName} (Linux keeps the first 15
     * characters of a Java thread's name), in ms from /proc; -1 when unknown.
     */
    long threadCpuMillis(String threadName) {
        String comm = threadName.length() > 15 ? threadName.substring(0, 15) : threadName;
        long ticks = 0;
        boolean found = false;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open || !stat.substring(open + 1, close).equals(comm)) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" "); // from field 3 (state) on
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
                found = true;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return found ? ticks * 10 : -1; // USER_HZ is 100 on Linux
    }

    /**
     * Time this instance's threads spent runnable but waiting for a CPU (the second field of each
     * /proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat, summed), in ms; -1 when unknown. Large against {@link #cpuMillis()}: the
     * machine is too busy to run it, whatever it does.
     */
    long runQueueWaitMillis() {
        long nanos = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    nanos += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return nanos / 1_000_000;
    }

    /** The 1-minute load average of the machine (/proc/loadavg), -1 when unknown. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Waits (bounded) for /q/health/ready to answer 200; fails with the log's last lines otherwise. */
    void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (status("/q/health/ready") == 200) {
                readyAfter = Duration.ofNanos(System.nanoTime() - launchedAt);
                rssAfterStartKib = rssKib();
                return;
            }
            try {
                // an external process: no event to wait on, poll its health endpoint
                process.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + name);
            }
        }
        throw new AssertionError(name + " not ready after " + READY_TIMEOUT.toSeconds() + " s:\n" + tail());
    }

    /** HTTP status of a GET on this instance's management interface (a probe), -1 when it does not answer. */
    int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(managementUrl() + path).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(3000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Resident set size in KiB (Linux /proc), 0 when unknown. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    String tail() {
        try {
            List<String> lines = logLines();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The first {@code max} lines of the log containing {@code text}. */
    List<String> logLines(String text, int max) {
        try {
            return logLines().stream().filter(l -> l.contains(text)).limit(max).toList();
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    /** The top {@code frames} lines of a thread's stack ({@code jcmd <pid> Thread.print}): where a stuck thread is. */
    String threadStack(String threadName, int frames) {
        List<String> lines = jcmd("Thread.print").lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("\"" + threadName + "\"")) {
                return String.join("\n", lines.subList(i, Math.min(lines.size(), i + 1 + frames)));
            }
        }
        return "(no thread '" + threadName + "' in the dump: " + (lines.isEmpty() ? "" : lines.get(0)) + ")";
    }

    /** Runs a diagnostic command in this instance's JVM ({@code jcmd <pid> ...}) and returns its output. */
    String jcmd(String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd) || !process.isAlive()) {
            return "(no jcmd: " + (process.isAlive() ? "no " + jcmd : name + " is not running") + ")";
        }
        List<String> args = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid())));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** Decoded leniently: a service logs what it receives, and that text may not be valid UTF-8. */
    private List<String> logLines() throws IOException {
        return new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    /** {@code kill -9}: no shutdown hook, no flush, no acknowledgement; what it held in memory is gone. */
    void killHard() {
        RUNNING.remove(this);
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM to the service alone, as Kubernetes sends it at a rolling update; waits for it to exit. */
    void terminate() {
        RUNNING.remove(this);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not exit within 30 s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void kill() {
        RUNNING.remove(this);
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills them all, after printing each one's start-up time and memory (the figures in k8s/README.md). */
    static void killAll(List<ServiceInstance> instances) {
        if (instances != null) {
            instances.forEach(i -> System.out.println(i.footprint()));
            instances.forEach(ServiceInstance::kill);
        }
    }

    /** Start-up time (launch to ready, several JVMs starting at once on this machine) and RSS after start and now. */
    String footprint() {
        return String.format("FOOTPRINT %s ready_after_ms=%d rss_after_start_mib=%d rss_now_mib=%d", name,
                readyAfter == null ? -1 : readyAfter.toMillis(), rssAfterStartKib / 1024, rssKib() / 1024);
    }

    private static synchronized Path appCopy(String service) {
        return COPIES.computeIfAbsent(service, s -> {
            Path source = Repository.root().resolve(s + "/target/quarkus-app");
            if (!Files.isRegularFile(source.resolve("quarkus-run.jar"))) {
                throw new AssertionError(source + "/quarkus-run.jar is missing: package the services first "
                        + "(./mvnw -B package -DskipTests, or the full ./mvnw verify, which builds them before this module)");
            }
            // one folder per test JVM: scripts/test.sh runs two of them side by side, and a copy made by one must not
            // be replaced under the other's running instances; the folders of JVMs that have ended are removed
            Path apps = Path.of("target", "apps").toAbsolutePath();
            Path target = apps.resolve(ProcessHandle.current().pid() + "/" + s);
            try {
                removeCopiesOfEndedJvms(apps);
                deleteRecursively(target);
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path to = target.resolve(source.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + source, e);
            }
            return target;
        });
    }

    private static void removeCopiesOfEndedJvms(Path apps) throws IOException {
        if (!Files.isDirectory(apps)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(apps)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                boolean ended = !name.matches("[0-9]+") || ProcessHandle.of(Long.parseLong(name)).isEmpty();
                if (ended) {
                    deleteRecursively(dir);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static int freePort() {
        return Ports.free();
    }

    static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    @Override
    public String toString() {
        return name + " (" + service + ", port " + port + ", pid " + process.pid() + ", log " + new File(log.toString()).getName() + ")";
    }
}
