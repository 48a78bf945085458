package dev.monitoring.gateway.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;

/**
 * Checks a password against its configured value: a bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}; verified
 * with Quarkus's Elytron bcrypt, {@link BcryptUtil}) or plain text. Both comparisons are constant-time
 * ({@link MessageDigest#isEqual}); plain text is compared through SHA-256 so that not even its length leaks.
 */
public final class Passwords {
    /** {@code $2x$<cost>$} then 22 characters of salt and 31 of hash, in bcrypt's base64 alphabet. */
    private static final java.util.regex.Pattern BCRYPT = java.util.regex.Pattern.compile(
            "\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private Passwords() {
    }

    /** Whether a configured password is a bcrypt hash. */
    public static boolean isBcrypt(String configured) {
        return configured != null && configured.length() > 7
                && (configured.startsWith("$2a$") || configured.startsWith("$2b$") || configured.startsWith("$2y$"));
    }

    /** Whether {@code given} is the password {@code configured} stands for. */
    public static boolean matches(String given, String configured) {
        if (given == null || configured == null) {
            return false;
        }
        if (isBcrypt(configured)) {
            return bcryptMatches(given, configured);
        }
        return MessageDigest.isEqual(sha256(given), sha256(configured));
    }

    /** Whether a bcrypt hash can be read at all (a malformed one is refused at start-up). */
    public static boolean isValidBcrypt(String hash) {
        if (hash == null || !BCRYPT.matcher(hash).matches()) {
            return false;
        }
        try {
            decode(hash);
            return true;
        } catch (InvalidKeySpecException | RuntimeException e) {
            return false;
        }
    }

    private static boolean bcryptMatches(String given, String hash) {
        if (!BCRYPT.matcher(hash).matches()) {
            return false;
        }
        try {
            BCryptPassword stored = decode(hash);
            String computed = BcryptUtil.bcryptHash(given, stored.getIterationCount(), stored.getSalt());
            BCryptPassword candidate = (BCryptPassword) ModularCrypt.decode(computed);
            return MessageDigest.isEqual(candidate.getHash(), stored.getHash());
        } catch (InvalidKeySpecException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Elytron reads {@code $2a$} (and {@code $2y$}); {@code $2b$} differs from them only for passwords over 255
     * bytes (the wrap-around bug of one old implementation), so all three are read as {@code $2a$}.
     */
    private static BCryptPassword decode(String hash) throws InvalidKeySpecException {
        return (BCryptPassword) ModularCrypt.decode("$2a$" + hash.substring(4));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
