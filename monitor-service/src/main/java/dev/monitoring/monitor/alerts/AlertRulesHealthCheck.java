package dev.monitoring.monitor.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Names the alert rules that fail, as {@code state: degraded}. It stays UP: the monitor still stores and serves, and
 * taking it out of service would not mend a rule; the failing rule is raised as an alert_rule_failed alert instead.
 */
@Readiness
@ApplicationScoped
public class AlertRulesHealthCheck implements HealthCheck {
    private final AlertEngine engine;

    public AlertRulesHealthCheck(AlertEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        var failing = engine.failingRules();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("alert-rules").up()
                .withData("state", failing.isEmpty() ? "ok" : "degraded");
        failing.forEach((rule, reason) -> b.withData("failing." + rule, reason));
        return b.build();
    }
}
