package dev.monitoring.system.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A redis-server of the test's own on a free port with AOF on (fsync always), so it can be stopped and started again. */
final class OwnRedis implements AutoCloseable {
    final int port = ServiceInstance.freePort();
    private final Path dir;
    private Process process;

    OwnRedis() {
        try {
            dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "redis-aof-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server not installed? (apt-get install redis-server)", e);
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port); Resp r = new Resp(port)) {
                return "PONG".equals(String.valueOf(r.command("PING")));
            }
        });
    }

    /** A clean stop (SIGTERM): Redis finishes the AOF and exits, as in a restart by an operator or an orchestrator. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
