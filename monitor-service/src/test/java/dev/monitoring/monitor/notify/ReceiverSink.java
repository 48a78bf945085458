package dev.monitoring.monitor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for the receivers (one path each): it records every request it answered 2xx, and
 * answers 500 to a path told to fail (always, or for its next N requests).
 */
final class ReceiverSink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(String path, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failAlways = new ConcurrentHashMap<>();

    ReceiverSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            AtomicInteger next = failNext.get(path);
            boolean fail = failAlways.getOrDefault(path, false) || next != null && next.getAndDecrement() > 0;
            if (fail) {
                refused.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                exchange.sendResponseHeaders(500, -1);
            } else {
                accepted.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body));
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> accepted(String path) {
        return accepted.stream().filter(r -> r.path().equals(path)).toList();
    }

    int refused(String path) {
        AtomicInteger n = refused.get(path);
        return n == null ? 0 : n.get();
    }

    void failNext(String path, int times) {
        failNext.put(path, new AtomicInteger(times));
    }

    void failAlways(String path, boolean fail) {
        failAlways.put(path, fail);
    }

    void reset() {
        accepted.clear();
        refused.clear();
        failNext.clear();
        failAlways.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
