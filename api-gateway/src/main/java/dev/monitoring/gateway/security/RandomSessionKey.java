package dev.monitoring.gateway.security;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The session key used when {@code GATEWAY_SESSION_KEY} is not set: random, one per process (a static value, so every
 * configuration built in the process sees the same one). The gateway names it as the default of
 * {@code quarkus.http.auth.session.encryption-key}, so Quarkus and the gateway's own session checks
 * ({@link SessionCookies}) use the same key, and the key is never written to the log.
 */
public class RandomSessionKey implements ConfigSource {
    public static final String PROPERTY = "gateway-internal.random-session-key";
    private static final String VALUE = generate();

    private static String generate() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().withoutPadding().encodeToString(key);
    }

    /** Whether a key is the generated one (no key was configured). */
    public static boolean isGenerated(String key) {
        return VALUE.equals(key);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PROPERTY, VALUE);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PROPERTY);
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTY.equals(propertyName) ? VALUE : null;
    }

    @Override
    public String getName() {
        return "gateway-random-session-key";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
