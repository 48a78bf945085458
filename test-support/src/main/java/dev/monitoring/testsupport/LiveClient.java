package dev.monitoring.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) of a gateway's {@code /ws/errors} that keeps every frame with its arrival time:
 * taken one by one ({@link #next}) or looked at all together ({@link #frames}). Its listener is in place before the
 * handshake, so the hello the server sends right after the 101 is never missed; the Vert.x client lost that first
 * frame now and then when it came in the same TCP segment as the 101.
 */
public final class LiveClient implements AutoCloseable, WebSocket.Listener {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One frame as it arrived. */
    public record Frame(JsonNode json, long arrivedNanos) {
        public String type() {
            return json.path("type").asText();
        }
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> all = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile int closeCode = -1;
    private volatile String closeReason;

    private String name = "live client";

    private LiveClient() {
    }

    /** Connects to the gateway at {@code base} with HTTP Basic (no credentials when {@code user} is null). */
    public static LiveClient connect(URI base, String user, String password) throws Exception {
        return user == null ? connect(base, Map.of()) : connect(base, Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
    }

    /** {@link #connect(URI, String, String)}, named for failure messages (one of several clients of a test). */
    public static LiveClient connect(String name, URI base, String user, String password) throws Exception {
        LiveClient client = connect(base, user, password);
        client.name = name;
        return client;
    }

    /** Connects with these handshake headers; a refused handshake fails with a {@code WebSocketHandshakeException}. */
    public static LiveClient connect(URI base, Map<String, String> headers) throws Exception {
        return connect(HTTP, base, headers);
    }

    /**
     * Connects as a viewer through an HTTP client of its own: its I/O thread serves no other client of the test, so
     * a client that floods the gateway cannot hold up another one inside the test itself.
     */
    public static LiveClient connectAlone(URI base) throws Exception {
        return connect(HttpClient.newHttpClient(), base, Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("viewer:viewer-test".getBytes(StandardCharsets.UTF_8))));
    }

    private static LiveClient connect(HttpClient http, URI base, Map<String, String> headers) throws Exception {
        LiveClient client = new LiveClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/errors"), client)
                .get(5, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                JsonNode json = MAPPER.readTree(text);
                all.add(json);
                frames.add(new Frame(json, System.nanoTime()));
            } catch (Exception e) {
                throw new IllegalStateException(name + " got a frame that is not JSON: " + text, e);
            }
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        closeReason = reason;
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
    }

    /** The next frame, or null after the timeout. */
    public Frame next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next frame matching, skipping others (kept in {@code skipped}), or null after the timeout. */
    public Frame next(Predicate<Frame> wanted, Duration timeout, List<Frame> skipped) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) {
                return null;
            }
            if (wanted.test(f)) {
                return f;
            }
            skipped.add(f);
        }
    }

    public List<Frame> drainReceived() {
        List<Frame> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Stops reading from the socket (no more frames requested), like a client that hangs: TCP pushes back. */
    public void pause() {
        paused = true;
    }

    /** Reads again after {@link #pause()}: what the server wrote meanwhile arrives. */
    public void resume() {
        paused = false;
        socket.request(1);
    }

    /** The status code of the server's close frame, -1 before one arrived. */
    public int closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed || socket.isInputClosed();
    }

    /** Every frame received so far, in order (whether or not {@link #next} took it). */
    public List<JsonNode> frames() {
        return all;
    }

    public List<JsonNode> framesOfType(String type) {
        return all.stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // already closed by the server, or it does not answer: drop the connection either way
        } finally {
            socket.abort();
        }
    }
}
