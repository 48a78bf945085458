package dev.monitoring.gateway.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** bcrypt hashes of the three usual prefixes (made by libxcrypt, not by the library that checks them) and plain text. */
class PasswordsTest {
    private static final String HASH = "toc.BmFjXmljq.Bk/nEPJOU/W12FcH6tOGJSo7925SonM2rF9VTX6";

    @ParameterizedTest
    @ValueSource(strings = {"$2a$04$", "$2b$04$", "$2y$04$"})
    void bcryptHashesOfEachPrefixAreVerified(String prefix) {
        assertThat(Passwords.isBcrypt(prefix + HASH)).isTrue();
        assertThat(Passwords.matches("hashed-test", prefix + HASH)).isTrue();
        assertThat(Passwords.matches("hashed-tesT", prefix + HASH)).isFalse();
        assertThat(Passwords.matches("", prefix + HASH)).isFalse();
    }

    @Test
    void aHashOfTheLibraryItselfIsVerified() {
        String hash = BcryptUtil.bcryptHash("s3cret", 5);
        assertThat(Passwords.matches("s3cret", hash)).isTrue();
        assertThat(Passwords.matches("s3cre", hash)).isFalse();
    }

    @Test
    void plainTextIsComparedExactly() {
        assertThat(Passwords.isBcrypt("plain")).isFalse();
        assertThat(Passwords.matches("plain", "plain")).isTrue();
        assertThat(Passwords.matches("plain", "plain ")).isFalse();
        assertThat(Passwords.matches("Plain", "plain")).isFalse();
        assertThat(Passwords.matches(null, "plain")).isFalse();
    }

    @Test
    void aMalformedHashMatchesNothing() {
        assertThat(Passwords.matches("hashed-test", "$2b$04$broken")).isFalse();
        assertThat(Passwords.isValidBcrypt("$2b$04$broken")).isFalse();
        assertThat(Passwords.isValidBcrypt("$2b$04$" + HASH)).isTrue();
    }
}
