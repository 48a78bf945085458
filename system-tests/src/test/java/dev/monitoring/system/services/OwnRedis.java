package dev.monitoring.system.services;

import dev.monitoring.system.Repository;
import dev.monitoring.testsupport.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A redis-server of the test's own on a free port with AOF on, so it can be stopped (or killed) and started again on
 * the same files. By default the AOF is synced at every write ({@code appendfsync always}); {@link #shipped()} gives
 * the persistence settings the project ships instead.
 */
final class OwnRedis implements AutoCloseable {
    /** The persistence flags {@link #shipped()} reads from docker-compose.yml and k8s/base/redis.yaml. */
    private static final List<String> PERSISTENCE_FLAGS = List.of("--save", "--appendonly", "--appendfsync");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    final int port;
    private final RedisServer server;

    /** AOF synced at every write. */
    OwnRedis() {
        this(List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always"));
    }

    /** With these persistence flags (flag, value, flag, value...). */
    OwnRedis(List<String> persistence) {
        server = RedisServer.onFreePort(persistence);
        port = server.port();
    }

    /**
     * The persistence flags the project ships Redis with (flag, value, ...: {@code --save}, {@code --appendonly},
     * {@code --appendfsync}), read from docker-compose.yml's redis command; k8s/base/redis.yaml must say the same.
     */
    static List<String> shipped() {
        try {
            Map<String, String> compose = persistenceFlags(Files.readString(Repository.root().resolve("docker-compose.yml")),
                    "command:\\s*\\[(\"redis-server\"[^\\]]*)]");
            Map<String, String> k8s = persistenceFlags(Files.readString(Repository.root().resolve("k8s/base/redis.yaml")),
                    "args:\\s*\\[(\"redis-server\"[^\\]]*)]");
            if (!compose.equals(k8s)) {
                throw new AssertionError("Redis persistence differs: docker-compose.yml " + compose + ", k8s/base/redis.yaml " + k8s);
            }
            if (compose.size() != PERSISTENCE_FLAGS.size()) {
                throw new AssertionError("docker-compose.yml's redis command does not set all of " + PERSISTENCE_FLAGS + ": " + compose);
            }
            List<String> flags = new ArrayList<>();
            compose.forEach((flag, value) -> {
                flags.add(flag);
                flags.add(value);
            });
            return flags;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> persistenceFlags(String file, String commandPattern) {
        Matcher command = Pattern.compile(commandPattern, Pattern.DOTALL).matcher(file);
        if (!command.find()) {
            throw new AssertionError("no redis-server command matching " + commandPattern);
        }
        List<String> args = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(command.group(1));
        while (quoted.find()) {
            args.add(quoted.group(1));
        }
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (PERSISTENCE_FLAGS.contains(args.get(i))) {
                flags.put(args.get(i), args.get(i + 1));
            }
        }
        return flags;
    }

    void start() {
        server.start();
    }

    /** A clean stop (SIGTERM): Redis finishes the AOF and exits, as in a restart by an operator or an orchestrator. */
    void stop() {
        server.stop();
    }

    /** {@code kill -9}: a crash, an OOM kill; Redis gets no chance to write or sync anything more. */
    void kill() {
        server.kill();
    }

    /** The tail of this server's log (all its runs): what it loaded after a crash. */
    String log() {
        try {
            List<String> lines = Files.readAllLines(server.dir().resolve("redis.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
