package dev.monitoring.gateway.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads the dashboard's session cookie ({@code quarkus.http.auth.form.cookie-name}) the way Quarkus's form login
 * writes it: AES-GCM under the SHA-256 of {@code quarkus.http.auth.session.encryption-key}, holding
 * {@code <expiry millis>:<user>}. Quarkus renews the cookie with a later expiry as it is used, always
 * {@code timeout} after it was issued: so {@code expiry - timeout} is when this very cookie was issued, which is what
 * a logout revokes (see {@link SessionRevocations}).
 */
@ApplicationScoped
public class SessionCookies {
    /** One session cookie: who, and when it was issued and expires (epoch millis). */
    public record Session(String user, long issuedAt, long expiresAt) {
    }

    private final SecretKey key;
    private final String cookieName;
    private final long timeoutMillis;

    public SessionCookies(@ConfigProperty(name = "quarkus.http.auth.session.encryption-key") String encryptionKey,
            @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName,
            @ConfigProperty(name = "quarkus.http.auth.form.timeout") Duration timeout) {
        this.key = new SecretKeySpec(Passwords.sha256(encryptionKey), "AES");
        this.cookieName = cookieName;
        this.timeoutMillis = timeout.toMillis();
    }

    public String cookieName() {
        return cookieName;
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    /** The session of a cookie value, if it is one of this gateway's (any replica's) and not expired. */
    public Optional<Session> read(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) {
            return Optional.empty();
        }
        try {
            ByteBuffer message = ByteBuffer.wrap(Base64.getDecoder().decode(cookieValue.getBytes(StandardCharsets.UTF_8)));
            byte[] iv = new byte[message.get()];
            message.get(iv);
            byte[] encrypted = new byte[message.remaining()];
            message.get(encrypted);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
            String content = new String(cipher.doFinal(encrypted), StandardCharsets.UTF_8);
            int colon = content.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            long expiresAt = Long.parseLong(content.substring(0, colon));
            if (expiresAt < System.currentTimeMillis()) {
                return Optional.empty();
            }
            return Optional.of(new Session(content.substring(colon + 1), expiresAt - timeoutMillis, expiresAt));
        } catch (Exception e) {
            // not ours, tampered with, or from another key: Quarkus refuses it as well
            return Optional.empty();
        }
    }

    /** The session cookie's value in a {@code Cookie} request header, or null. */
    public String fromCookieHeader(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return null;
        }
        for (String header : cookieHeaders) {
            for (String part : header.split(";")) {
                String pair = part.trim();
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(cookieName)) {
                    String value = pair.substring(eq + 1).trim();
                    return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                            ? value.substring(1, value.length() - 1) : value;
                }
            }
        }
        return null;
    }
}
