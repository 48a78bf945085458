package dev.monitoring.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own (never the shared one), on a free port of 127.0.0.1, that the test may stop (SIGTERM,
 * as an operator or orchestrator does), kill (SIGKILL, a crash) and start again on the same port and files.
 * Without persistence unless the test gives its own flags; its log goes to {@code redis.log} in its folder.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final List<String> flags;
    private Process process;

    private RedisServer(int port, Path dir, List<String> flags) {
        this.port = port;
        this.dir = dir;
        this.flags = List.copyOf(flags);
    }

    /** Not started yet; {@code flags} are extra redis-server options (flag, value, ...), e.g. persistence. */
    public static RedisServer onFreePort(List<String> flags) {
        try {
            Path dir = Files.createTempDirectory("test-redis-").toAbsolutePath();
            return new RedisServer(Ports.free(), dir, flags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Not started yet, without persistence. */
    public static RedisServer onFreePort() {
        return onFreePort(List.of("--save", "", "--appendonly", "no"));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Its working folder: the AOF and the log. */
    public Path dir() {
        return dir;
    }

    /** Its Unix socket, open while it runs. */
    public Path socket() {
        return dir.resolve("redis.sock");
    }

    /**
     * Starts it and waits until it answers PING on its port. Already running, it is left as it is: a second
     * redis-server on the port would exit at once, and this object would then hold the dead one instead of the live.
     */
    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        launch(port);
        awaitPong();
        return this;
    }

    /**
     * Starts it listening on its Unix socket only: nothing reaches it over TCP until the test opens its port
     * ({@code CONFIG SET port}), so a test's own client can be in place first.
     */
    public synchronized RedisServer startOnSocketOnly() {
        try {
            Files.deleteIfExists(socket());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch(0);
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!Files.exists(socket())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not open " + socket() + " within " + READY_WITHIN);
            }
            pause();
        }
        return this;
    }

    /** A clean stop (SIGTERM): Redis finishes its AOF and exits. */
    public synchronized void stop() {
        end(false);
    }

    /** {@code kill -9}: Redis gets no chance to write or sync anything more. */
    public synchronized void kill() {
        end(true);
    }

    @Override
    public void close() {
        kill();
    }

    private void launch(int tcpPort) {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(tcpPort), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--unixsocket", socket().toString(), "--unixsocketperm", "700"));
        command.addAll(flags);
        command.addAll(List.of("--daemonize", "no"));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (apt-get install redis-server)", e);
        }
    }

    private void end(boolean kill) {
        if (process == null) {
            return;
        }
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " (see " + dir.resolve("redis.log") + ")");
            }
            if (answersPing()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + READY_WITHIN);
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // polling a process we started: there is no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
