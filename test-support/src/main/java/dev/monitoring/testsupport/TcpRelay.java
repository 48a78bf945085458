package dev.monitoring.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a server (Redis, PostgreSQL, the application itself), for faults a test cannot cause
 * on the shared server:
 * <ul>
 *   <li>{@link #stop()} cuts every relayed connection and refuses new ones, as a server that goes down does;
 *       {@link #start()} again listens on the same port, as the server coming back;</li>
 *   <li>{@link #freeze()} cuts every relayed connection and from then on accepts new ones without answering (a server
 *       behind a half-open network path); {@link #thaw()} connects the held ones, where what the client sent
 *       meanwhile arrives, late but whole.</li>
 * </ul>
 */
public final class TcpRelay implements AutoCloseable {
    private final int targetPort;
    private final Set<Socket> relayed = ConcurrentHashMap.newKeySet();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;
    private volatile ServerSocket server;
    private int port;

    /** On a port of its own choosing (the first {@link #start()} picks a free one). */
    public TcpRelay(int targetPort) {
        this(targetPort, 0);
    }

    /** On this port; 0 for a free one. */
    public TcpRelay(int targetPort, int port) {
        this.targetPort = targetPort;
        this.port = port;
    }

    /** The port it listens on (known once started, or given). */
    public synchronized int port() {
        return port;
    }

    /** Listens (again) on its port; returns it. */
    public synchronized int start() {
        ServerSocket socket = bind();
        port = socket.getLocalPort();
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "tcp-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return port;
    }

    /** A connection the kernel still tears down can hold the port for a moment after a stop: retried for 5 s. */
    private ServerSocket bind() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return socket;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot listen on port " + port, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted while binding port " + port, e);
                }
            }
        }
    }

    /** Closes the listening socket and every connection, relayed or held: the server is gone. */
    public synchronized void stop() {
        closeQuietly(server);
        relayed.forEach(TcpRelay::closeQuietly);
        relayed.clear();
        held.forEach(TcpRelay::closeQuietly);
        held.clear();
    }

    /** Cuts every relayed connection; new ones are accepted and left unanswered. */
    public synchronized void freeze() {
        frozen = true;
        relayed.forEach(TcpRelay::closeQuietly);
        relayed.clear();
    }

    /** Relays again, the held connections first. */
    public synchronized void thaw() {
        frozen = false;
        for (Socket client : held) {
            try {
                relay(client);
            } catch (IOException e) {
                closeQuietly(client); // the server refused: the client sees a dropped connection
            }
        }
        held.clear();
    }

    /** Connections accepted while frozen and not answered yet. */
    public int heldConnections() {
        return held.size();
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                synchronized (this) {
                    if (listening.isClosed()) {
                        // accepted just as stop() ran: relayed now, it would outlive the stop (a server that is down
                        // keeps no connection), so it is dropped like the others
                        closeQuietly(client);
                    } else if (frozen) {
                        held.add(client);
                    } else {
                        relay(client);
                    }
                }
            } catch (IOException e) {
                // closed by stop(), or the server refused: the client sees a dropped connection
            }
        }
    }

    private void relay(Socket client) throws IOException {
        Socket target;
        try {
            target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            throw e;
        }
        relayed.add(client);
        relayed.add(target);
        pump(client, target);
        pump(target, client);
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                relayed.remove(from);
                relayed.remove(to);
            }
        }, "tcp-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
