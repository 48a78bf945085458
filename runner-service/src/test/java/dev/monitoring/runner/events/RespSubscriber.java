package dev.monitoring.runner.events;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal Redis pub/sub subscriber speaking RESP over a socket, independent of the client under test:
 * every message lands in {@link #messages} as {@code channel -> payload}, in arrival order.
 */
public final class RespSubscriber implements AutoCloseable {
    public record Message(String channel, String payload) {
    }

    public final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final AutoCloseable connection;
    private final InputStream in;
    private final OutputStream out;
    private final Thread reader;

    private RespSubscriber(AutoCloseable connection, InputStream in, OutputStream out) {
        this.connection = connection;
        this.in = new BufferedInputStream(in);
        this.out = out;
        this.reader = new Thread(this::readLoop, "resp-subscriber");
        this.reader.setDaemon(true);
    }

    public static RespSubscriber tcp(String host, int port, String... channels) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 2000);
        return new RespSubscriber(socket, socket.getInputStream(), socket.getOutputStream()).subscribe(channels);
    }

    public static RespSubscriber unix(Path socketPath, String... channels) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socketPath));
        return new RespSubscriber(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel))
                .subscribe(channels);
    }

    private RespSubscriber subscribe(String... channels) throws IOException {
        List<String> command = new ArrayList<>(List.of("SUBSCRIBE"));
        command.addAll(List.of(channels));
        out.write(encode(command));
        out.flush();
        // Wait for every subscription confirmation before returning, so nothing published after is missed.
        for (int i = 0; i < channels.length; i++) {
            read();
        }
        reader.start();
        return this;
    }

    /** Sends one command on a fresh connection and returns its reply as text (for CONFIG SET and friends). */
    public static String command(Path socketPath, String... args) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketPath));
            OutputStream o = Channels.newOutputStream(channel);
            o.write(encode(List.of(args)));
            o.flush();
            RespSubscriber parser = new RespSubscriber(() -> { }, Channels.newInputStream(channel), o);
            return String.valueOf(parser.read());
        }
    }

    private void readLoop() {
        try {
            while (true) {
                Object reply = read();
                if (reply instanceof List<?> list && list.size() == 3 && "message".equals(list.get(0))) {
                    messages.add(new Message((String) list.get(1), (String) list.get(2)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // connection closed
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("closed");
        }
        String line = line();
        switch (type) {
            case '+', '-', ':':
                return line;
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len);
                in.readNBytes(2);
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + (char) type);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("closed");
            }
            buffer.write(c);
        }
        in.read();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static byte[] encode(List<String> args) {
        StringBuilder sb = new StringBuilder("*").append(args.size()).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
