package dev.monitoring.system.services;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal Redis client speaking RESP over a socket: commands, pipelined PUBLISH, and a subscriber collecting
 * messages. Enough for tests, and no dependency on a Redis library that would need its own event loop.
 */
final class Resp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Resp() {
        this(java.net.URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://localhost:6379")));
    }

    /** A client of a test-owned redis-server on this loopback port. */
    Resp(int port) {
        this(java.net.URI.create("redis://127.0.0.1:" + port));
    }

    private Resp(java.net.URI uri) {
        try {
            socket = new Socket(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Redis", e);
        }
    }

    synchronized Object command(String... args) {
        try {
            out.write(encode(args));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PUBLISH every message on one channel, pipelined; returns the subscriber counts Redis answered. */
    synchronized List<Long> publishAll(String channel, List<String> messages) {
        try {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            for (String m : messages) {
                buffer.write(encode(new String[]{"PUBLISH", channel, m}));
            }
            out.write(buffer.toByteArray());
            out.flush();
            List<Long> receivers = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                receivers.add((Long) read());
            }
            return receivers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long publish(String channel, String message) {
        return (Long) command("PUBLISH", channel, message);
    }

    /** How many clients are subscribed to the channel (PUBSUB NUMSUB). */
    long subscribers(String channel) {
        List<?> reply = (List<?>) command("PUBSUB", "NUMSUB", channel);
        return (Long) reply.get(1);
    }

    /** Subscribes on its own connection; messages are collected in {@link Subscription#messages()}. */
    static Subscription subscribe(String channel) {
        Resp resp = new Resp();
        resp.command("SUBSCRIBE", channel);
        Subscription subscription = new Subscription(resp);
        Thread reader = new Thread(subscription::readLoop, "resp-subscriber-" + channel);
        reader.setDaemon(true);
        reader.start();
        return subscription;
    }

    static final class Subscription implements AutoCloseable {
        private final Resp resp;
        private final List<String> messages = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        private Subscription(Resp resp) {
            this.resp = resp;
        }

        List<String> messages() {
            return messages;
        }

        private void readLoop() {
            try {
                resp.socket.setSoTimeout(0);
                while (!closed) {
                    List<?> frame = (List<?>) resp.read();
                    if ("message".equals(frame.get(0))) {
                        messages.add(String.valueOf(frame.get(2)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // closed
            }
        }

        @Override
        public void close() {
            closed = true;
            resp.close();
        }
    }

    private static byte[] encode(String[] args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("Redis: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length);
                in.readNBytes(2);
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + type);
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
