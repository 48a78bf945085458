package dev.monitoring.gateway.security;

import io.quarkus.security.AuthenticationFailedException;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Too many failed logins for this user or from this address: an {@link AuthenticationFailedException} (Quarkus's own
 * kind, which is final) carrying the seconds until the window ends, answered with 429 and {@code Retry-After}
 * whatever the password.
 */
public final class LoginThrottledException {
    static final String RETRY_AFTER = "gateway.login.retry-after-seconds";

    private LoginThrottledException() {
    }

    public static AuthenticationFailedException of(long retryAfterSeconds) {
        return new AuthenticationFailedException("too many failed logins", Map.of(RETRY_AFTER, retryAfterSeconds));
    }

    /** The seconds to wait when the failure is a throttled login. */
    public static OptionalLong retryAfter(Throwable failure) {
        if (failure instanceof AuthenticationFailedException failed && failed.getAttributes() != null
                && failed.getAttributes().get(RETRY_AFTER) instanceof Long seconds) {
            return OptionalLong.of(seconds);
        }
        return OptionalLong.empty();
    }
}
