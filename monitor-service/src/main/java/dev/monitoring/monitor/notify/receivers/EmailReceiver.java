package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.model.api.ReceiverInfo;
import dev.monitoring.monitor.notify.config.NotifyDurations;
import dev.monitoring.monitor.notify.config.ReceiverSpec;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;

import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A plain-text mail through the application's mailer (quarkus-mailer: {@code quarkus.mailer.*}, i.e. the
 * {@code QUARKUS_MAILER_*} variables): subject {@code [monitor] [FIRING] critical_error: <first message> (+2 more)}
 * ({@code subject_prefix} replaces {@code [monitor]}), a body listing every alert, and the header
 * {@code X-Monitor-Notification-Id}. Accepted when the SMTP server accepted the mail, within the timeout.
 */
public final class EmailReceiver implements Receiver {
    public static final String DEFAULT_SUBJECT_PREFIX = "[monitor]";
    public static final String ID_HEADER = "X-Monitor-Notification-Id";
    private static final int SUBJECT_MESSAGE_CHARS = 100;
    private static final int BODY_MESSAGE_CHARS = 4000;

    private final String name;
    private final List<String> to;
    private final String subjectPrefix;
    private final Duration timeout;
    private final ReactiveMailer mailer;
    private final String server;

    /**
     * @param subjectPrefix null: {@value #DEFAULT_SUBJECT_PREFIX}
     * @param server        the SMTP server as {@code host:port}, for details and {@link #describe()} (null: unknown)
     */
    public EmailReceiver(String name, List<String> to, String subjectPrefix, Duration timeout, ReactiveMailer mailer,
                         String server) {
        this.name = Objects.requireNonNull(name, "name");
        this.to = List.copyOf(to);
        this.subjectPrefix = subjectPrefix == null || subjectPrefix.isBlank() ? DEFAULT_SUBJECT_PREFIX : subjectPrefix.strip();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.server = server == null || server.isBlank() ? "the SMTP server" : "SMTP server " + server;
    }

    @SuppressWarnings("unchecked")
    public static EmailReceiver from(ReceiverSpec spec, ReactiveMailer mailer, String server) {
        return new EmailReceiver(spec.name(), (List<String>) spec.options().get("to"),
                (String) spec.options().get("subject_prefix"), (Duration) spec.options().get("timeout"), mailer, server);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "email";
    }

    public List<String> to() {
        return to;
    }

    @Override
    public ReceiverInfo describe() {
        return new ReceiverInfo(name, type(),
                server.startsWith("SMTP server ") ? "smtp://" + server.substring("SMTP server ".length()) : "smtp", to,
                timeout.toMillis(), null);
    }

    @Override
    public DeliveryResult deliver(Notification notification) {
        long start = System.nanoTime();
        try {
            Mail mail = new Mail().setTo(to).setSubject(subject(notification)).setText(body(notification));
            mail.addHeader(ID_HEADER, HttpReceiver.headerValue(notification.id()));
            mailer.send(mail).await().atMost(timeout);
            return result(true, "accepted by " + server + " for " + to.size() + (to.size() == 1 ? " recipient" : " recipients"), start);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            return result(false, "timed out after " + NotifyDurations.format(timeout) + " waiting for " + server, start);
        } catch (RuntimeException | StackOverflowError e) {
            return result(false, failure(e), start);
        }
    }

    private String failure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || String.valueOf(t.getMessage()).toLowerCase().contains("connection refused")) {
                return "connection refused by " + server;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return server + " did not take the mail: " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    private static DeliveryResult result(boolean accepted, String detail, long startNanos) {
        return new DeliveryResult(accepted, 0, NotificationText.cut(NotificationText.oneLine(detail), 300),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** {@code [monitor] [FIRING] critical_error: disk full (+2 more)}, on one line. */
    public String subject(Notification n) {
        List<Map<String, Object>> alerts = NotificationText.alerts(n);
        StringBuilder s = new StringBuilder(subjectPrefix).append(' ').append(NotificationText.tag(n));
        if (alerts.isEmpty()) {
            return s.append(" no alerts").toString();
        }
        String rule = NotificationText.field(alerts.get(0), "rule");
        String message = NotificationText.field(alerts.get(0), "message");
        s.append(' ').append(rule.isEmpty() ? "alert" : rule);
        if (!message.isEmpty()) {
            s.append(": ").append(NotificationText.cut(message, SUBJECT_MESSAGE_CHARS));
        }
        if (alerts.size() > 1) {
            s.append(" (+").append(alerts.size() - 1).append(" more)");
        }
        return NotificationText.oneLine(s.toString());
    }

    /** The plain-text body: the headline, then each alert with its fields. */
    public String body(Notification n) {
        List<Map<String, Object>> alerts = NotificationText.alerts(n);
        StringBuilder b = new StringBuilder();
        b.append(NotificationText.headline(n)).append("\n\n");
        int i = 0;
        for (Map<String, Object> a : alerts) {
            i++;
            b.append(i).append(". [").append(orDash(NotificationText.field(a, "severity"))).append("] ")
                    .append(orDash(NotificationText.field(a, "rule")));
            String status = NotificationText.field(a, "status");
            if (!status.isEmpty()) {
                b.append(" (").append(status).append(')');
            }
            b.append('\n');
            b.append("   ").append(NotificationText.cut(NotificationText.field(a, "message"), BODY_MESSAGE_CHARS)).append('\n');
            for (String key : List.of("first_seen", "last_seen", "count", "key", "alert_id", "labels")) {
                String v = NotificationText.field(a, key);
                if (!v.isEmpty()) {
                    b.append("   ").append(key).append(": ").append(NotificationText.cut(v, 500)).append('\n');
                }
            }
            b.append('\n');
        }
        b.append("--\n");
        b.append("Group: ").append(NotificationText.oneLine(String.valueOf(n.groupKey()))).append('\n');
        b.append("Notification: ").append(NotificationText.oneLine(String.valueOf(n.id()))).append('\n');
        b.append("Sent by monitor-service to receiver ").append(name).append(n.test() ? " (a test notification)" : "").append(".\n");
        return b.toString();
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
