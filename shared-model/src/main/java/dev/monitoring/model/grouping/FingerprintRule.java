package dev.monitoring.model.grouping;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.monitoring.model.ErrorEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A fingerprint rule: an error that matches every matcher given (the others are null) goes to the group named
 * {@code name}. Matching is equality and a case-insensitive substring over the capped message, never a regular
 * expression on event text, so a rule costs time linear in the message whatever the event says.
 */
public record FingerprintRule(String name, String type, String component, String operation,
                             @JsonProperty("message_contains") String messageContains) {
    public static final int MAX_CONTAINS = 200;

    public FingerprintRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a fingerprint rule needs a name");
        }
        if (type == null && component == null && operation == null && messageContains == null) {
            throw new IllegalArgumentException("monitor.grouping.rules.\"" + name + "\" names no matcher: give it at least one of "
                    + "type, component, operation, message-contains (a rule without one would take every error)");
        }
        if (messageContains != null && (messageContains.isEmpty() || messageContains.length() > MAX_CONTAINS)) {
            throw new IllegalArgumentException("monitor.grouping.rules.\"" + name + "\".message-contains must be 1 to "
                    + MAX_CONTAINS + " characters");
        }
    }

    public boolean matches(ErrorEvent e) {
        return (type == null || type.equals(e.errorType()))
                && (component == null || component.equals(e.context().component()))
                && (operation == null || operation.equals(e.context().operation()))
                && (messageContains == null || containsIgnoringCase(e.errorMessage(), messageContains.toLowerCase(Locale.ROOT)));
    }

    /** The fingerprint of the rule's group. */
    @JsonIgnore
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(("rule\u001f" + name)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean containsIgnoringCase(String message, String lowerNeedle) {
        if (message == null) {
            return false;
        }
        String m = message.length() <= ErrorFingerprint.MAX_INPUT ? message : message.substring(0, ErrorFingerprint.MAX_INPUT);
        return m.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }
}
