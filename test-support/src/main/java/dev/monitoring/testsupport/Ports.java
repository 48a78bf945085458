package dev.monitoring.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for a test's own servers and for "nothing listens here". */
public final class Ports {
    private Ports() {
    }

    /** A port of 127.0.0.1 nothing listens on right now (a test's own server binds it next, or it stays closed). */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
