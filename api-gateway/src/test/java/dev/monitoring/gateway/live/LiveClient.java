package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (Vert.x) of /ws/errors that keeps every frame with its arrival time. */
final class LiveClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Frame(JsonNode json, long arrivedNanos) {
        String type() {
            return json.path("type").asText();
        }
    }

    private final WebSocketClient client;
    private final WebSocket socket;
    private final LinkedBlockingQueue<Frame> frames;

    private LiveClient(WebSocketClient client, WebSocket socket, LinkedBlockingQueue<Frame> frames) {
        this.client = client;
        this.socket = socket;
        this.frames = frames;
    }

    static WebSocketConnectOptions options(URI base, String user, String password) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(base.getHost()).setPort(base.getPort()).setURI("/ws/errors");
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            options.addHeader("Authorization", "Basic " + token);
        }
        return options;
    }

    static LiveClient connect(Vertx vertx, URI base, String user, String password) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        // The handler is set in the connect callback, before the first frame (hello) can be read.
        WebSocket socket = client.connect(options(base, user, password))
                .map(ws -> {
                    ws.textMessageHandler(text -> {
                    try {
                        frames.add(new Frame(MAPPER.readTree(text), System.nanoTime()));
                    } catch (Exception e) {
                        throw new IllegalStateException("not JSON: " + text, e);
                    }
                    });
                    return ws;
                })
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return new LiveClient(client, socket, frames);
    }

    /** The next frame, or null after the timeout. */
    Frame next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next frame matching, skipping others (kept in {@code skipped}), or null after the timeout. */
    Frame next(Predicate<Frame> wanted, Duration timeout, List<Frame> skipped) throws InterruptedException {
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

    List<Frame> drainReceived() {
        List<Frame> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    void send(String text) {
        socket.writeTextMessage(text);
    }

    /** Stops reading from the socket, like a client that hangs. */
    void pause() {
        socket.pause();
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        socket.close();
        client.close();
    }
}
