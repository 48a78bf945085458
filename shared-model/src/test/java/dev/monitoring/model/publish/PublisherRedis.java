package dev.monitoring.model.publish;

import dev.monitoring.testsupport.RedisServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A redis-server of the test's own on a free port (never the shared one), and a tiny RESP subscriber. */
final class PublisherRedis {
    static int port;
    private static RedisServer server;

    private PublisherRedis() {
    }

    static void startOnFreePort() {
        server = RedisServer.onFreePort().start();
        port = server.port();
    }

    static void startServer() {
        server.start();
    }

    static void stopServer() {
        server.kill();
    }

    /** Subscribes to channels and collects the payloads of the messages, in arrival order. */
    static final class Subscriber implements AutoCloseable {
        final BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
        private final Socket socket;

        Subscriber(String... channels) throws IOException {
            socket = new Socket("127.0.0.1", port);
            StringBuilder cmd = new StringBuilder("*").append(channels.length + 1).append("\r\n$9\r\nSUBSCRIBE\r\n");
            for (String c : channels) {
                cmd.append('$').append(c.length()).append("\r\n").append(c).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            // Each confirmation is a 3-element array: *3, $9, subscribe, $N, channel, :n
            for (int i = 0; i < channels.length * 6; i++) {
                in.readLine();
            }
            Thread reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = in.readLine()) != null) {
                        // *3 / $7 / message / $N / channel / $N / payload (payloads are one-line JSON)
                        if (line.equals("message")) {
                            in.readLine();
                            in.readLine();
                            in.readLine();
                            payloads.add(in.readLine());
                        }
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
