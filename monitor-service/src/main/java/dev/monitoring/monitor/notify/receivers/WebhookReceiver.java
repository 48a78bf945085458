package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.monitor.notify.config.ReceiverSpec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs {@code {"status","receiver","group_key","notification_id","test","alerts":[...]}} with the headers
 * {@code Idempotency-Key: <notification id>}, {@code User-Agent: monitor-notifier} and, when a secret is set,
 * {@code X-Monitor-Signature: sha256=<lowercase hex HMAC-SHA256 of the exact body bytes>}. 2xx is accepted.
 */
public final class WebhookReceiver extends HttpReceiver {
    public static final String SIGNATURE_HEADER = "X-Monitor-Signature";

    private final String secret;

    /** @param secret null or empty: the requests are not signed */
    public WebhookReceiver(String name, URI url, String secret, Duration timeout) {
        super(name, url, timeout, secret == null ? List.of() : List.of(secret));
        this.secret = secret == null || secret.isEmpty() ? null : secret;
    }

    public static WebhookReceiver from(ReceiverSpec spec) {
        return new WebhookReceiver(spec.name(), URI.create((String) spec.options().get("url")),
                (String) spec.options().get("secret"), (Duration) spec.options().get("timeout"));
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    protected Boolean signed() {
        return secret != null;
    }

    @Override
    protected byte[] body(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", n.status());
        body.put("receiver", n.receiver());
        body.put("group_key", n.groupKey());
        body.put("notification_id", n.id());
        body.put("test", n.test());
        body.put("alerts", new ArrayList<>(NotificationText.alerts(n)));
        return json(body);
    }

    @Override
    protected Map<String, String> headers(Notification n, byte[] body) {
        return secret == null ? Map.of() : Map.of(SIGNATURE_HEADER, signature(body, secret));
    }

    /** {@code sha256=<lowercase hex HMAC-SHA256 of body with secret (UTF-8)>}: what a receiver recomputes to verify. */
    public static String signature(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
