package dev.monitoring.gateway.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * Refuses a production start with placeholder or weak secrets ({@link SecretsPolicy}), naming the variables to fix;
 * warns about plain-text passwords and a missing session key. Dev and test runs are not checked.
 */
@ApplicationScoped
public class SecretsGuard {
    private final Users users;
    private final String sessionKey;

    public SecretsGuard(Users users,
            @ConfigProperty(name = "quarkus.http.auth.session.encryption-key") String sessionKey) {
        this.users = users;
        this.sessionKey = sessionKey;
    }

    void onStart(@Observes @Priority(1) StartupEvent startup) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        SecretsPolicy.Findings findings = findings();
        findings.warnings().forEach(warning -> Log.warn(warning));
        if (!findings.refusals().isEmpty()) {
            throw new IllegalStateException(refusalMessage(findings.refusals()));
        }
    }

    SecretsPolicy.Findings findings() {
        Optional<String> configured = RandomSessionKey.isGenerated(sessionKey) ? Optional.empty() : Optional.of(sessionKey);
        return SecretsPolicy.check(users.passwords(), configured);
    }

    /** The start-up failure: every refused secret, one per line. */
    public static String refusalMessage(List<String> refusals) {
        return "refusing to start with placeholder or weak secrets:\n  - " + String.join("\n  - ", refusals);
    }
}
