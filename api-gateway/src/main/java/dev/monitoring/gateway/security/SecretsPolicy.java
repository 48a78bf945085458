package dev.monitoring.gateway.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the production start-up refuses and what it warns about: placeholder secrets ({@code CHANGE-ME} in any case,
 * anywhere in the value), a session key under {@value #MIN_SESSION_KEY} characters and unreadable bcrypt hashes are
 * refused; plain-text passwords and a missing session key (a random key per process) are allowed with a warning.
 * Each message names the environment variable to fix, never its value.
 */
public final class SecretsPolicy {
    public static final int MIN_SESSION_KEY = 32;
    public static final String SESSION_KEY_VARIABLE = "GATEWAY_SESSION_KEY";
    private static final String PLACEHOLDER = "change-me";

    /** What was found: {@code refusals} stop a production start, {@code warnings} are logged. */
    public record Findings(List<String> refusals, List<String> warnings) {
    }

    private SecretsPolicy() {
    }

    /** The variable a user's password comes from: {@code GATEWAY_ADMIN_PASSWORD} for {@code admin}. */
    public static String passwordVariable(String user) {
        return "GATEWAY_" + user.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_PASSWORD";
    }

    /**
     * @param passwords  each user's configured password (plain or bcrypt)
     * @param sessionKey the session cookie key an operator set, empty when none was set (a random one is used)
     */
    public static Findings check(Map<String, String> passwords, Optional<String> sessionKey) {
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        new TreeMap<>(passwords).forEach((user, password) -> {
            String variable = passwordVariable(user);
            if (isPlaceholder(password)) {
                refusals.add(variable + " (password of user '" + user + "') is a placeholder: it contains CHANGE-ME");
            } else if (password.startsWith("$2") && !Passwords.isBcrypt(password)) {
                refusals.add(variable + " (password of user '" + user + "') looks like a bcrypt hash of an unsupported "
                        + "version: use $2a$, $2b$ or $2y$");
            } else if (Passwords.isBcrypt(password) && !Passwords.isValidBcrypt(password)) {
                refusals.add(variable + " (password of user '" + user + "') is not a readable bcrypt hash");
            } else if (!Passwords.isBcrypt(password)) {
                warnings.add(variable + " (password of user '" + user + "') is plain text: give a bcrypt hash in "
                        + "production (e.g. htpasswd -nbBC 12 '' 'the password' | cut -d: -f2)");
            }
        });
        if (sessionKey.isEmpty() || sessionKey.get().isBlank()) {
            warnings.add(SESSION_KEY_VARIABLE + " is not set: a random key per process, so logins do not survive a "
                    + "restart and a cookie of one replica is refused by another; set it (" + MIN_SESSION_KEY
                    + "+ characters) on every replica");
        } else if (isPlaceholder(sessionKey.get())) {
            refusals.add(SESSION_KEY_VARIABLE + " is a placeholder: it contains CHANGE-ME");
        } else if (sessionKey.get().length() < MIN_SESSION_KEY) {
            refusals.add(SESSION_KEY_VARIABLE + " is too short: " + sessionKey.get().length() + " characters, at least "
                    + MIN_SESSION_KEY + " are needed (e.g. openssl rand -hex 32)");
        }
        return new Findings(List.copyOf(refusals), List.copyOf(warnings));
    }

    static boolean isPlaceholder(String secret) {
        return secret != null && secret.toLowerCase(Locale.ROOT).contains(PLACEHOLDER);
    }
}
