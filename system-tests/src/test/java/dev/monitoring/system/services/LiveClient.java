package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client of a gateway's /ws/errors (JDK client, Basic auth on the handshake), keeping every frame. */
final class LiveClient implements WebSocket.Listener, AutoCloseable {
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;
    private final String name;

    LiveClient(String name, ServiceInstance gateway, String user, String password) throws Exception {
        this.name = name;
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Basic " + auth)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/errors"), this)
                .get(10, TimeUnit.SECONDS);
    }

    List<JsonNode> frames() {
        return frames;
    }

    List<JsonNode> framesOfType(String type) {
        return frames.stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(Http.JSON.readTree(partial.toString()));
            } catch (IOException e) {
                throw new AssertionError(name + " got a frame that is not JSON: " + partial);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.abort();
    }

    @Override
    public String toString() {
        return name;
    }
}
