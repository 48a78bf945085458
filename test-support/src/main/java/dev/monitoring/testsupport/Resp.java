package dev.monitoring.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal Redis client speaking RESP over TCP or a Unix socket: commands, pipelined PUBLISH, and a subscriber
 * collecting messages. Enough for tests, with no Redis library that would need an event loop of its own (and could
 * share the faults the test causes to the application's).
 */
public final class Resp implements AutoCloseable {
    private final AutoCloseable connection;
    private final InputStream in;
    private final OutputStream out;

    private Resp(AutoCloseable connection, InputStream in, OutputStream out) {
        this.connection = connection;
        this.in = new BufferedInputStream(in);
        this.out = out;
    }

    /** The Redis of {@code REDIS_URL}, by default the local one on 6379. */
    public static Resp local() {
        URI uri = URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://localhost:6379"));
        return tcp(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
    }

    /** A Redis on this loopback port (a test's own). */
    public static Resp tcp(int port) {
        return tcp("127.0.0.1", port);
    }

    public static Resp tcp(String host, int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(10_000);
            return new Resp(socket, socket.getInputStream(), socket.getOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Redis at " + host + ":" + port, e);
        }
    }

    /** A Redis through its Unix socket (reachable while its TCP port is closed). */
    public static Resp unix(Path socketPath) {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socketPath));
            return new Resp(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Redis at " + socketPath, e);
        }
    }

    /** One command; the reply as a String, Long, List or null. An error reply is thrown. */
    public synchronized Object command(String... args) {
        try {
            out.write(encode(args));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long publish(String channel, String message) {
        return (Long) command("PUBLISH", channel, message);
    }

    /** PUBLISH every message on one channel, pipelined; returns the subscriber counts Redis answered. */
    public List<Long> publishAll(String channel, List<String> messages) {
        return publishAll(messages.stream().map(m -> new Publication(channel, m)).toList());
    }

    /** One PUBLISH: a message and the channel it goes to. */
    public record Publication(String channel, String message) {
    }

    /** PUBLISH each message on its own channel, in order, pipelined; returns the subscriber counts Redis answered. */
    public synchronized List<Long> publishAll(List<Publication> publications) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            for (Publication p : publications) {
                buffer.write(encode(new String[] {"PUBLISH", p.channel(), p.message()}));
            }
            out.write(buffer.toByteArray());
            out.flush();
            List<Long> receivers = new ArrayList<>();
            for (int i = 0; i < publications.size(); i++) {
                receivers.add((Long) read());
            }
            return receivers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many clients are subscribed to the channel (PUBSUB NUMSUB). */
    public long subscribers(String channel) {
        List<?> reply = (List<?>) command("PUBSUB", "NUMSUB", channel);
        return (Long) reply.get(1);
    }

    /** Subscribes the local Redis's channels on a connection of its own. */
    public static Subscription subscribe(String... channels) {
        return local().subscription(channels);
    }

    /**
     * Turns this connection into a subscription to {@code channels}; returns once Redis confirmed every one, so
     * nothing published afterwards is missed.
     */
    public Subscription subscription(String... channels) {
        String[] command = new String[channels.length + 1];
        command[0] = "SUBSCRIBE";
        System.arraycopy(channels, 0, command, 1, channels.length);
        try {
            out.write(encode(command));
            out.flush();
            for (int i = 0; i < channels.length; i++) {
                read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Subscription subscription = new Subscription(this);
        Thread reader = new Thread(subscription::readLoop, "resp-subscriber-" + String.join(",", channels));
        reader.setDaemon(true);
        reader.start();
        return subscription;
    }

    /** The messages of a subscription as they arrive. */
    public static final class Subscription implements AutoCloseable {
        public record Message(String channel, String payload) {
        }

        /** Every message so far, in arrival order; a test may take them out. */
        public final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
        private final List<String> payloads = new CopyOnWriteArrayList<>();
        private final Resp resp;
        private volatile boolean closed;

        private Subscription(Resp resp) {
            this.resp = resp;
        }

        /** The payloads of every message so far, in arrival order (what the queue gave out included). */
        public List<String> messages() {
            return payloads;
        }

        private void readLoop() {
            try {
                if (resp.connection instanceof Socket socket) {
                    socket.setSoTimeout(0);
                }
                while (!closed) {
                    List<?> frame = (List<?>) resp.read();
                    if ("message".equals(frame.get(0))) {
                        String payload = String.valueOf(frame.get(2));
                        payloads.add(payload);
                        queue.add(new Message(String.valueOf(frame.get(1)), payload));
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
                if (count < 0) {
                    return null;
                }
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
            connection.close();
        } catch (Exception e) {
            // nothing to do
        }
    }
}
