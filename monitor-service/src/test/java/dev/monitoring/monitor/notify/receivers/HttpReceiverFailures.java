package dev.monitoring.monitor.notify.receivers;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** What every HTTP receiver does when the other side fails: a not-accepted result, in time, without a secret. */
final class HttpReceiverFailures {
    /** Timeout of the receivers under test: the "never answers" case must end within it plus {@link #MARGIN}. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Generous: the machine running the tests may be busy with other builds; a hang would still be caught. */
    static final Duration MARGIN = Duration.ofSeconds(3);

    private HttpReceiverFailures() {
    }

    /**
     * @param receiverAt builds the receiver for a URL (path {@code path}) with timeout {@link #TIMEOUT}
     * @param secrets    what must never appear in a detail or in describe() (the path is added)
     */
    static void check(Function<URI, Receiver> receiverAt, String path, List<String> secrets, Notification n) throws IOException {
        List<String> hidden = new java.util.ArrayList<>(secrets);
        hidden.add(path);

        // 500, with an answer that quotes the secrets back
        try (RecordingHttpServer server = new RecordingHttpServer()) {
            server.answering(500, "internal error for " + String.join(" and ", hidden));
            Receiver r = receiverAt.apply(server.uri(path));
            DeliveryResult result = r.deliver(n);
            assertThat(result.accepted()).isFalse();
            assertThat(result.statusCode()).isEqualTo(500);
            assertThat(result.detail()).startsWith("HTTP 500 from 127.0.0.1:" + server.port()).contains("internal error for ***");
            assertNoSecret(result.detail(), hidden);
            assertNoSecret(r.describe().toString(), hidden);
            assertThat(r.describe().target()).isEqualTo("http://127.0.0.1:" + server.port());
            assertThat(r.describe().name()).isEqualTo(r.name());
            assertThat(r.describe().type()).isEqualTo(r.type());
        }

        // a server that takes the request and never answers
        try (RecordingHttpServer server = new RecordingHttpServer().hanging()) {
            Receiver r = receiverAt.apply(server.uri(path));
            long start = System.nanoTime();
            DeliveryResult result = r.deliver(n);
            Duration took = RecordingHttpServer.elapsedSince(start);
            assertThat(result.accepted()).isFalse();
            assertThat(result.statusCode()).isZero();
            assertThat(result.detail()).isEqualTo("timed out after 1s waiting for 127.0.0.1:" + server.port());
            assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT.plus(MARGIN));
            assertThat(result.durationMillis()).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.plus(MARGIN).toMillis());
            assertThat(server.requests()).hasSize(1);
        }

        // nothing listening
        URI refused = RecordingHttpServer.refusedUri(path);
        Receiver r = receiverAt.apply(refused);
        long start = System.nanoTime();
        DeliveryResult result = r.deliver(n);
        assertThat(RecordingHttpServer.elapsedSince(start)).isLessThan(TIMEOUT.plus(MARGIN));
        assertThat(result.accepted()).isFalse();
        assertThat(result.statusCode()).isZero();
        assertThat(result.detail()).isEqualTo("connection refused by 127.0.0.1:" + refused.getPort());
        assertNoSecret(result.detail(), hidden);
    }

    static void assertNoSecret(String text, List<String> secrets) {
        for (String s : secrets) {
            assertThat(text).as("never shows a secret").doesNotContain(s);
        }
    }
}
