package dev.monitoring.gateway.security;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production profile has no built-in password: the gateway's own {@code application.properties}, read as Quarkus
 * reads it in {@code prod}, cannot resolve a user's password without {@code GATEWAY_ADMIN_PASSWORD} and
 * {@code GATEWAY_VIEWER_PASSWORD}; Quarkus stops at startup on exactly this error ({@code SRCFG00011: Could not expand
 * value GATEWAY_VIEWER_PASSWORD in property gateway.security.users.viewer.password}, exit code 1). A default
 * added to the expression, or a {@code %prod} password, makes this test fail.
 *
 * <p>With the variables set, the secrets the production configuration resolves to go through the start-up check
 * ({@link SecretsGuard}, which throws out of the start-up event in the {@code prod} launch mode, so Quarkus exits
 * with its message): placeholders and short session keys are refused, naming the variable.
 */
class ProductionPasswordsTest {
    private static final String ADMIN = "gateway.security.users.admin.password";
    private static final String VIEWER = "gateway.security.users.viewer.password";
    private static final String SESSION_KEY = "quarkus.http.auth.session.encryption-key";
    private static final String GOOD_KEY = "0123456789abcdef0123456789abcdef";
    private static final String BCRYPT = "$2b$04$toc.BmFjXmljq.Bk/nEPJOU/W12FcH6tOGJSo7925SonM2rF9VTX6";

    private static SmallRyeConfig config(String profile, Map<String, String> environment) throws IOException {
        URL properties = ProductionPasswordsTest.class.getClassLoader().getResource("application.properties");
        assertThat(properties).as("the gateway's application.properties").isNotNull();
        return new SmallRyeConfigBuilder()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withSources(new RandomSessionKey())
                .build();
    }

    /** What the start-up check finds in the production configuration with this environment. */
    private static SecretsPolicy.Findings prodFindings(Map<String, String> environment) throws IOException {
        SmallRyeConfig prod = config("prod", environment);
        Map<String, String> passwords = new HashMap<>();
        passwords.put("admin", prod.getValue(ADMIN, String.class));
        passwords.put("viewer", prod.getValue(VIEWER, String.class));
        String key = prod.getValue(SESSION_KEY, String.class);
        return SecretsPolicy.check(passwords, RandomSessionKey.isGenerated(key) ? Optional.empty() : Optional.of(key));
    }

    @Test
    void prodCannotResolveAPasswordWithoutTheEnvironment() throws IOException {
        SmallRyeConfig prod = config("prod", Map.of());
        assertThatThrownBy(() -> prod.getValue(ADMIN, String.class))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("GATEWAY_ADMIN_PASSWORD");
        assertThatThrownBy(() -> prod.getValue(VIEWER, String.class))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("GATEWAY_VIEWER_PASSWORD");
        // One of the two is not enough.
        SmallRyeConfig adminOnly = config("prod", Map.of("GATEWAY_ADMIN_PASSWORD", "s3cret-admin"));
        assertThat(adminOnly.getValue(ADMIN, String.class)).isEqualTo("s3cret-admin");
        assertThatThrownBy(() -> adminOnly.getValue(VIEWER, String.class)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void prodTakesThePasswordsFromTheEnvironment() throws IOException {
        SmallRyeConfig prod = config("prod", Map.of("GATEWAY_ADMIN_PASSWORD", "s3cret-admin", "GATEWAY_VIEWER_PASSWORD", "s3cret-viewer"));
        assertThat(prod.getValue(ADMIN, String.class)).isEqualTo("s3cret-admin");
        assertThat(prod.getValue(VIEWER, String.class)).isEqualTo("s3cret-viewer");
    }

    @Test
    void onlyDevAndTestHaveBuiltInPasswords() throws IOException {
        assertThat(config("dev", Map.of()).getValue(ADMIN, String.class)).isEqualTo("admin-dev");
        assertThat(config("test", Map.of()).getValue(VIEWER, String.class)).isEqualTo("viewer-test");
    }

    @Test
    void prodRefusesAChangeMePasswordInAnyCaseNamingTheVariable() throws IOException {
        SecretsPolicy.Findings findings = prodFindings(Map.of("GATEWAY_ADMIN_PASSWORD", "CHANGE-ME",
                "GATEWAY_VIEWER_PASSWORD", "my-change-me-password", "GATEWAY_SESSION_KEY", GOOD_KEY));
        assertThat(findings.refusals()).hasSize(2);
        assertThat(findings.refusals().get(0)).startsWith("GATEWAY_ADMIN_PASSWORD").contains("CHANGE-ME")
                .doesNotContain("my-change-me-password");
        assertThat(findings.refusals().get(1)).startsWith("GATEWAY_VIEWER_PASSWORD").contains("placeholder")
                .doesNotContain("my-change-me-password");
        assertThat(SecretsGuard.refusalMessage(findings.refusals()))
                .contains("GATEWAY_ADMIN_PASSWORD").contains("GATEWAY_VIEWER_PASSWORD");
    }

    @Test
    void prodRefusesASessionKeyUnder32CharactersOrAPlaceholderOne() throws IOException {
        SecretsPolicy.Findings shortKey = prodFindings(Map.of("GATEWAY_ADMIN_PASSWORD", BCRYPT,
                "GATEWAY_VIEWER_PASSWORD", BCRYPT, "GATEWAY_SESSION_KEY", "0123456789abcdefghij"));
        assertThat(shortKey.refusals()).singleElement().asString()
                .startsWith("GATEWAY_SESSION_KEY").contains("20 characters").contains("at least 32")
                .doesNotContain("0123456789abcdefghij");
        SecretsPolicy.Findings placeholder = prodFindings(Map.of("GATEWAY_ADMIN_PASSWORD", BCRYPT,
                "GATEWAY_VIEWER_PASSWORD", BCRYPT, "GATEWAY_SESSION_KEY", "CHANGE-ME-at-least-16-characters-long"));
        assertThat(placeholder.refusals()).singleElement().asString().startsWith("GATEWAY_SESSION_KEY").contains("CHANGE-ME");
    }

    @Test
    void bcryptHashesAndA32CharacterKeyStartCleanly() throws IOException {
        SecretsPolicy.Findings findings = prodFindings(Map.of("GATEWAY_ADMIN_PASSWORD", BCRYPT,
                "GATEWAY_VIEWER_PASSWORD", BCRYPT.replace("$2b$", "$2y$"), "GATEWAY_SESSION_KEY", GOOD_KEY));
        assertThat(findings.refusals()).isEmpty();
        assertThat(findings.warnings()).isEmpty();
    }

    @Test
    void plainTextPasswordsAndNoSessionKeyStartWithWarnings() throws IOException {
        SecretsPolicy.Findings findings = prodFindings(Map.of("GATEWAY_ADMIN_PASSWORD", "a-long-plain-password",
                "GATEWAY_VIEWER_PASSWORD", BCRYPT));
        assertThat(findings.refusals()).isEmpty();
        assertThat(findings.warnings()).hasSize(2);
        assertThat(findings.warnings().get(0)).startsWith("GATEWAY_ADMIN_PASSWORD").contains("plain text")
                .doesNotContain("a-long-plain-password");
        assertThat(findings.warnings().get(1)).startsWith("GATEWAY_SESSION_KEY is not set");
    }

    @Test
    void aMalformedBcryptHashIsRefused() throws IOException {
        SecretsPolicy.Findings findings = prodFindings(Map.of("GATEWAY_ADMIN_PASSWORD", "$2b$04$tooshort",
                "GATEWAY_VIEWER_PASSWORD", "$2c$04$toc.BmFjXmljq.Bk/nEPJOU/W12FcH6tOGJSo7925SonM2rF9VTX6",
                "GATEWAY_SESSION_KEY", GOOD_KEY));
        assertThat(findings.refusals()).hasSize(2);
        assertThat(findings.refusals().get(0)).startsWith("GATEWAY_ADMIN_PASSWORD").contains("not a readable bcrypt hash");
        assertThat(findings.refusals().get(1)).startsWith("GATEWAY_VIEWER_PASSWORD").contains("unsupported");
    }
}
