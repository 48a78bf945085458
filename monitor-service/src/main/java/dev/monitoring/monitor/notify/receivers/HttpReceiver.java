package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.model.api.ReceiverInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.monitoring.monitor.notify.config.NotifyDurations;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A receiver that POSTs JSON over HTTP(S) with the JDK client: one shared client, a per-request timeout and an outer
 * bound of the same length, no redirects followed. 2xx is accepted; anything else is a not-accepted result whose detail
 * names the host only and never a secret (the URL's path and query, the signing secret, the routing key).
 */
public abstract class HttpReceiver implements Receiver {
    public static final String USER_AGENT = "monitor-notifier";
    /** One client for every HTTP receiver. */
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    /** Dates as ISO-8601 text, whatever the alerts carry. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    /** Bytes of a response kept for the detail (the rest is read and dropped). */
    private static final int MAX_RESPONSE = 2048;
    /** Characters of a response quoted in the detail. */
    private static final int RESPONSE_SNIPPET = 120;
    /** Past the request timeout, the outer bound waits this long more for the client to give up by itself. */
    private static final long GRACE_MILLIS = 250;

    private final String name;
    private final URI url;
    private final Duration timeout;
    private final List<String> secrets;

    /** @param secrets strings that must never appear in a detail (the URL's path and query are added here) */
    protected HttpReceiver(String name, URI url, Duration timeout, List<String> secrets) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        List<String> hidden = new ArrayList<>();
        hidden.add(url.toString());
        if (url.getRawPath() != null && url.getRawPath().length() > 1) {
            hidden.add(url.getRawPath());
        }
        if (url.getRawQuery() != null && !url.getRawQuery().isEmpty()) {
            hidden.add(url.getRawQuery());
        }
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                hidden.add(s);
            }
        }
        hidden.sort((a, b) -> b.length() - a.length());
        this.secrets = List.copyOf(hidden);
    }

    @Override
    public String name() {
        return name;
    }

    public Duration timeout() {
        return timeout;
    }

    /** {@code scheme://host[:port]}: the URL without user info, path, query or fragment. */
    public String target() {
        return url.getScheme().toLowerCase() + "://" + hostPort();
    }

    /** {@code host[:port]} of the URL. */
    protected String hostPort() {
        String host = url.getHost();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return url.getPort() < 0 ? host : host + ":" + url.getPort();
    }

    @Override
    public ReceiverInfo describe() {
        return new ReceiverInfo(name, type(), target(), null, timeout.toMillis(), signed());
    }

    /** Whether it signs its bodies, for {@link #describe()}; null when that does not apply to its kind. */
    protected Boolean signed() {
        return null;
    }

    @Override
    public final DeliveryResult deliver(Notification notification) {
        long start = System.nanoTime();
        try {
            byte[] body = body(notification);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", USER_AGENT);
            headers.put("Idempotency-Key", headerValue(notification.id()));
            headers.putAll(headers(notification, body));
            return post(body, headers, start);
        } catch (RuntimeException | StackOverflowError e) {
            return result(false, 0, "could not send to " + hostPort() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), start);
        }
    }

    /** The exact bytes sent. */
    protected abstract byte[] body(Notification notification);

    /** Headers besides Content-Type, User-Agent and Idempotency-Key. */
    protected Map<String, String> headers(Notification notification, byte[] body) {
        return Map.of();
    }

    private DeliveryResult post(byte[] body, Map<String, String> headers, long start) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<byte[]>> future = CLIENT.sendAsync(request.build(), info -> capped());
        HttpResponse<byte[]> response;
        try {
            response = future.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return result(false, 0, timedOut(), start);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return result(false, 0, "interrupted while sending to " + hostPort(), start);
        } catch (ExecutionException e) {
            return result(false, 0, failure(e.getCause()), start);
        }
        int status = response.statusCode();
        boolean accepted = status >= 200 && status < 300;
        String detail = "HTTP " + status + " from " + hostPort();
        if (!accepted) {
            String answer = NotificationText.oneLine(new String(response.body(), StandardCharsets.UTF_8));
            if (!answer.isEmpty()) {
                detail += ": " + NotificationText.cut(answer, RESPONSE_SNIPPET);
            }
        }
        return result(accepted, status, detail, start);
    }

    private String timedOut() {
        return "timed out after " + NotifyDurations.format(timeout) + " waiting for " + hostPort();
    }

    private String failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "timed out connecting to " + hostPort();
            }
            if (t instanceof HttpTimeoutException) {
                return timedOut();
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + url.getHost();
            }
            if (t instanceof ConnectException) {
                String m = String.valueOf(t.getMessage()).toLowerCase();
                return m.contains("refused") || t.getMessage() == null ? "connection refused by " + hostPort()
                        : "could not connect to " + hostPort() + ": " + t.getMessage();
            }
            if (t instanceof SSLException) {
                return "TLS failure with " + hostPort() + ": " + t.getMessage();
            }
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "could not send to " + hostPort() + ": " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The result with a safe detail: secrets replaced by ***, one line, at most 300 characters. */
    protected DeliveryResult result(boolean accepted, int status, String detail, long startNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return new DeliveryResult(accepted, status, safe(detail), millis);
    }

    String safe(String detail) {
        String text = NotificationText.oneLine(detail);
        for (String s : secrets) {
            text = text.replace(s, "***");
        }
        return NotificationText.cut(text, 300);
    }

    /** A header value the client accepts: visible ASCII and spaces only. */
    static String headerValue(String value) {
        StringBuilder b = new StringBuilder();
        String v = value == null ? "" : value;
        for (int i = 0; i < v.length() && b.length() < 200; i++) {
            char c = v.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            }
        }
        return b.toString();
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException("the notification cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Keeps the first bytes of a response, reads and drops the rest (so the connection can be reused). */
    private static HttpResponse.BodySubscriber<byte[]> capped() {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
            int room = MAX_RESPONSE - kept.size();
            if (room > 0) {
                kept.write(bytes, 0, Math.min(room, bytes.length));
            }
        })), ignored -> kept.toByteArray());
    }
}
