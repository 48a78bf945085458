package dev.monitoring.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Ports for a test's own servers and for "nothing listens here". */
public final class Ports {
    /**
     * Every port handed out in this JVM. The kernel may give a just-closed port to the next bind: a "nothing listens
     * here" port of a profile once came back as its stub server's port, so the runner a test had made unreachable
     * answered as the monitor.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port of 127.0.0.1 nothing listens on right now (a test's own server binds it next, or it stays closed), never
     * one this method returned before in this JVM.
     */
    public static int free() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
