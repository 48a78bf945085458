package dev.monitoring.monitor.notify.receivers;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server for the tests that answers every command at once, as RFC 5321 says, and keeps what it accepted: one
 * copy per recipient, parsed. GreenMail, used before, now and then left a session without an answer (to QUIT, or to
 * the next mail on a reused session) for the client's whole timeout, which made deliveries the server had accepted
 * look failed.
 */
public final class SmtpSink implements AutoCloseable {
    private final ServerSocket server;
    private final List<MimeMessage> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sessions = new CopyOnWriteArrayList<>();

    SmtpSink(int port) {
        try {
            server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** What was accepted so far, one copy per recipient, in order. */
    public MimeMessage[] getReceivedMessages() {
        return received.toArray(MimeMessage[]::new);
    }

    /** Forgets what was received. */
    public void purge() {
        received.clear();
    }

    /** Waits (bounded) until at least {@code count} copies arrived. */
    public boolean waitForIncomingEmail(long timeoutMillis, int count) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (received.size() < count) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20); // polling what another thread fills in: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket session = server.accept();
                sessions.add(session);
                Thread handler = new Thread(() -> serve(session), "smtp-sink-session");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket session) {
        try (session; BufferedReader in = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = session.getOutputStream();
            reply(out, "220 smtp-sink ESMTP");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 smtp-sink");
                    case "MAIL" -> {
                        recipients.clear();
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        recipients.add(line.substring(line.indexOf(':') + 1).trim());
                        reply(out, "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        byte[] message = data(in);
                        for (int i = 0; i < recipients.size(); i++) {
                            received.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message)));
                        }
                        reply(out, "250 OK accepted");
                    }
                    case "RSET", "NOOP" -> reply(out, "250 OK");
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (Exception e) {
            // the client went away, or the sink is closed
        }
    }

    /** The message up to the line with a single dot, dot-stuffing undone. */
    private static byte[] data(BufferedReader in) throws IOException {
        StringBuilder message = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            message.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closed
        }
        for (Socket s : sessions) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }
    }
}
