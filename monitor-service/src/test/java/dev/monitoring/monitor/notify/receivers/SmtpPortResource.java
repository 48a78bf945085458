package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.testsupport.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SMTP servers the module's tests send to, for the whole run: the application's mailer points at one SMTP
 * server ({@link SmtpSink}) that is never restarted; the named mailer {@code down} at a port where nothing listens; the named mailer
 * {@code silent} at a server that accepts connections and never says a word. Global (every @QuarkusTest of the module
 * gets the same configuration, so none restarts Quarkus for it); free ports, so two builds on one machine do not collide.
 */
public class SmtpPortResource implements QuarkusTestResourceLifecycleManager {
    public static final String DOWN = "down";
    public static final String SILENT = "silent";
    /** A mailer of EmailReceiverTest's own to the same server, so nothing another test left in the default one's pool
     *  (deliveries still under way in the background) reaches its checks. */
    public static final String OWN = "receiver-tests";

    private static volatile SmtpSink smtp;
    private ServerSocket silent;
    private static final List<Socket> held = new CopyOnWriteArrayList<>();

    /**
     * Closes the connections the silent server holds: the mail client waits for a greeting that never comes (its own
     * connection stays pending in its pool, and holds back the next mails) until the connection ends.
     */
    public static void releaseSilent() {
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }
        held.clear();
    }

    /** The SMTP server of the application's mailer; tests purge it before use. */
    public static SmtpSink smtp() {
        return smtp;
    }

    @Override
    public Map<String, String> start() {
        try {
            int port = Ports.free();
            smtp = new SmtpSink(port);
            silent = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept()); // takes the connection and says nothing, not even the greeting
                    }
                } catch (IOException closed) {
                    // the run is over
                }
            }, "silent-smtp");
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> config = new java.util.HashMap<>();
            config.put("quarkus.mailer.host", "127.0.0.1");
            config.put("quarkus.mailer.port", String.valueOf(port));
            mailer(config, OWN, port);
            mailer(config, DOWN, Ports.free());
            mailer(config, SILENT, silent.getLocalPort());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mailer(Map<String, String> config, String name, int port) {
        config.put("quarkus.mailer." + name + ".host", "127.0.0.1");
        config.put("quarkus.mailer." + name + ".port", String.valueOf(port));
        config.put("quarkus.mailer." + name + ".from", "monitor@localhost");
        config.put("quarkus.mailer." + name + ".mock", "false");
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.close();
        }
        try {
            if (silent != null) {
                silent.close();
            }
            for (Socket s : held) {
                s.close();
            }
        } catch (IOException e) {
            // the run is over
        }
    }
}
