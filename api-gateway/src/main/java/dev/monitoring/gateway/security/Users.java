package dev.monitoring.gateway.security;

import dev.monitoring.gateway.config.GatewayConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users of {@code gateway.security.users}: their passwords (plain or bcrypt) and roles.
 *
 * <p>API clients send Basic credentials with every request; a bcrypt check costs tens of milliseconds of CPU, so a
 * password that was verified is remembered for {@value #REMEMBER_MILLIS} ms as a keyed hash (HMAC-SHA-256 under a
 * random per-process key: never the password), compared in constant time. An unknown user costs a bcrypt check all
 * the same, so the time of an answer does not tell which users exist.
 */
@ApplicationScoped
public class Users {
    static final long REMEMBER_MILLIS = 5 * 60_000;
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("no such user", 10);

    private record Verified(byte[] mac, long until) {
    }

    private final Map<String, GatewayConfig.Security.User> users;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final byte[] macKey = new byte[32];

    public Users(GatewayConfig config) {
        this.users = Map.copyOf(config.security().users());
        new SecureRandom().nextBytes(macKey);
    }

    public boolean exists(String user) {
        return user != null && users.containsKey(user);
    }

    public Set<String> roles(String user) {
        GatewayConfig.Security.User entry = users.get(user);
        return entry == null ? Set.of() : Set.copyOf(entry.roles());
    }

    /** Every user's configured password, for the start-up checks. */
    public Map<String, String> passwords() {
        Map<String, String> passwords = new java.util.TreeMap<>();
        users.forEach((name, user) -> passwords.put(name, user.password()));
        return passwords;
    }

    /** Whether the password is the user's; blocking (bcrypt). */
    public boolean verify(String user, String password) {
        GatewayConfig.Security.User entry = user == null ? null : users.get(user);
        if (entry == null) {
            Passwords.matches(password == null ? "" : password, DUMMY_HASH);
            return false;
        }
        byte[] mac = mac(user, password);
        Verified known = verified.get(user);
        if (known != null && known.until() > System.currentTimeMillis() && MessageDigest.isEqual(known.mac(), mac)) {
            return true;
        }
        boolean ok = Passwords.matches(password, entry.password());
        if (ok && Passwords.isBcrypt(entry.password())) {
            verified.put(user, new Verified(mac, System.currentTimeMillis() + REMEMBER_MILLIS));
        }
        return ok;
    }

    private byte[] mac(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return mac.doFinal((user + '\u0000' + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
