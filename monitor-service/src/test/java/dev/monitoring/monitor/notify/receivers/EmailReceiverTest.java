package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.model.api.ReceiverInfo;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.monitoring.monitor.notify.config.NotifyFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.mailer.MailerName;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Real mail through the application's mailer (quarkus-mailer, not its mock) to an SMTP server of the test's own. */
@QuarkusTest
@WithTestResource(value = SmtpPortResource.class, scope = TestResourceScope.GLOBAL)
class EmailReceiverTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Generous: the machine running the tests may be busy with other builds; a hang would still be caught. */
    static final Duration MARGIN = Duration.ofSeconds(3);

    @Inject
    @MailerName(SmtpPortResource.OWN)
    ReactiveMailer mailer;
    /** A mailer whose SMTP server is down (nothing listens on its port). */
    @Inject
    @MailerName(SmtpPortResource.DOWN)
    ReactiveMailer downMailer;
    @ConfigProperty(name = "quarkus.mailer.down.port")
    int downPort;
    /** A mailer whose SMTP server accepts the connection and never answers. */
    @Inject
    @MailerName(SmtpPortResource.SILENT)
    ReactiveMailer silentMailer;
    @ConfigProperty(name = "quarkus.mailer.silent.port")
    int silentPort;
    @Inject
    NotifyFile notifyFile;
    @Inject
    Receivers receivers;
    @ConfigProperty(name = "quarkus.mailer.port")
    int port;
    @ConfigProperty(name = "quarkus.mailer.from")
    String from;
    @TempDir
    Path dir;

    SmtpSink smtp;

    @BeforeEach
    void emptySmtpServer() throws Exception {
        smtp = SmtpPortResource.smtp();
        smtp.purge();
    }

    @Test
    void theMailReachesEveryRecipientWithSubjectAndBody() throws Exception {
        EmailReceiver receiver = receiver(List.of("ops@example.com", "oncall@example.com"), null, Duration.ofSeconds(10));
        Notification n = TestNotifications.firing("ops-mail");

        DeliveryResult result = receiver.deliver(n);

        assertThat(result.accepted()).as(result.detail()).isTrue();
        assertThat(result.statusCode()).isZero();
        assertThat(result.detail()).isEqualTo("accepted by SMTP server 127.0.0.1:" + port + " for 2 recipients");
        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient
        MimeMessage mail = received[0];
        assertThat(addresses(mail.getRecipients(Message.RecipientType.TO))).containsExactly("ops@example.com", "oncall@example.com");
        assertThat(Arrays.stream(received).flatMap(m -> {
            try {
                return Arrays.stream(m.getAllRecipients());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(a -> ((InternetAddress) a).getAddress()).distinct()).containsExactlyInAnyOrder("ops@example.com", "oncall@example.com");
        assertThat(addresses(mail.getFrom())).containsExactly(from);
        assertThat(mail.getSubject()).isEqualTo("[monitor] [FIRING] critical_error: Database connection lost on db-1 (+1 more)");
        assertThat(mail.getHeader(EmailReceiver.ID_HEADER, null)).isEqualTo(n.id());
        String body = GreenMailUtil.getBody(mail).replace("\r\n", "\n");
        assertThat(body).contains("[FIRING] 2 alerts: critical_error, job_stale")
                .contains("1. [critical] critical_error (firing)\n   Database connection lost on db-1")
                .contains("2. [warning] job_stale (firing)\n   Job prices is stale for AAPL daily")
                .contains("first_seen: 2026-11-30T10:00Z")
                .contains("Notification: " + n.id());
    }

    @Test
    void subjectPrefixResolvedAndTestNotifications() throws Exception {
        EmailReceiver receiver = receiver(List.of("ops@example.com"), "[prod]", Duration.ofSeconds(10));
        Notification test = new Notification("t-1", "ops-mail", Notification.FIRING, "test:ops-mail",
                List.of(TestNotifications.alert("t", "test", "info", "Test notification from monitor-service", "firing")), true);

        DeliveryResult resolved = receiver.deliver(TestNotifications.resolved("ops-mail"));
        assertThat(resolved.accepted()).as(resolved.detail()).isTrue();
        DeliveryResult tested = receiver.deliver(test);
        assertThat(tested.accepted()).as(tested.detail()).isTrue();

        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        assertThat(subjects).containsExactly("[prod] [RESOLVED] critical_error: Database connection lost on db-1",
                "[prod] [TEST] [FIRING] test: Test notification from monitor-service");
    }

    @Test
    void anSmtpServerThatIsDownIsNotAcceptedPromptly() {
        EmailReceiver receiver = new EmailReceiver("ops-mail", List.of("ops@example.com"), null, TIMEOUT, downMailer,
                "127.0.0.1:" + downPort);

        long start = System.nanoTime();
        DeliveryResult result = receiver.deliver(TestNotifications.firing("ops-mail"));

        assertThat(RecordingHttpServer.elapsedSince(start)).isLessThan(TIMEOUT.plus(MARGIN));
        assertThat(result.accepted()).isFalse();
        assertThat(result.statusCode()).isZero();
        assertThat(result.detail()).isEqualTo("connection refused by SMTP server 127.0.0.1:" + downPort);
    }

    @Test
    void anSmtpServerThatNeverAnswersIsNotAcceptedWithinTheTimeout() {
        EmailReceiver receiver = new EmailReceiver("ops-mail", List.of("ops@example.com"), null, TIMEOUT, silentMailer,
                "127.0.0.1:" + silentPort);

        long start = System.nanoTime();
        DeliveryResult result = receiver.deliver(TestNotifications.firing("ops-mail"));
        Duration took = RecordingHttpServer.elapsedSince(start);

        SmtpPortResource.releaseSilent();
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT.plus(MARGIN));
        assertThat(result.accepted()).isFalse();
        assertThat(result.detail()).isEqualTo("timed out after 1s waiting for SMTP server 127.0.0.1:" + silentPort);
    }

    @Test
    void receiversAreBuiltFromTheFileInForceAndRebuiltWhenItChanges() throws IOException {
        // the application's own NotifyFile may hold another test class's file (NotificationDeliveryTest switches it):
        // this test builds its own from a file of its own
        assertThat(receivers.named("ops-mail")).isEmpty();

        Path file = Files.writeString(dir.resolve("notify.yaml"), """
                receivers:
                  - name: ops-webhook
                    webhook: { url: "https://hooks.example.com/monitor", secret: "${SECRET:s3cr3t}" }
                  - name: ops-mail
                    email: { to: [ops@example.com], timeout: 10s }
                """);
        NotifyFile own = new NotifyFile(Optional.of(file.toString()), Map.of(), new SimpleMeterRegistry());
        Receivers built = new Receivers(own, mailer, Optional.of("127.0.0.1"), Optional.of(port));

        assertThat(built.all()).extracting(Receiver::name, Receiver::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ops-webhook", "webhook"),
                        org.assertj.core.groups.Tuple.tuple("ops-mail", "email"));
        assertThat(built.named("ops-mail").orElseThrow().describe()).isEqualTo(new ReceiverInfo("ops-mail", "email",
                "smtp://127.0.0.1:" + port, List.of("ops@example.com"), 10000L, null));
        assertThat(built.named("ops-webhook").orElseThrow().describe().toString()).doesNotContain("s3cr3t").doesNotContain("/monitor");
        assertThat(built.all()).as("the same settings: the same instances").isEqualTo(built.all());
        assertThat(built.named("ops-mail").orElseThrow().deliver(TestNotifications.firing("ops-mail")).accepted()).isTrue();

        Files.writeString(file, """
                receivers:
                  - name: ops-slack
                    slack: { url: "https://hooks.slack.com/services/X" }
                """);
        own.reload();
        assertThat(built.all()).extracting(Receiver::name).containsExactly("ops-slack");
        assertThat(built.named("ops-mail")).isEmpty();
    }

    private EmailReceiver receiver(List<String> to, String prefix, Duration timeout) {
        return new EmailReceiver("ops-mail", to, prefix, timeout, mailer, "127.0.0.1:" + port);
    }

    private static List<String> addresses(jakarta.mail.Address[] addresses) {
        return Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }
}
