package dev.monitoring.monitor.alerts;

import dev.monitoring.model.api.Alert;
import dev.monitoring.model.LogText;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which alert rules fail now. A failure is counted every time ({@code monitor_alert_rule_failures_total{rule}}) but
 * logged only when the rule's state changes, so a rule that throws at every tick does not flood the log, and its
 * recovery is said once too.
 */
@ApplicationScoped
public class RuleHealth {
    private final MeterRegistry registry;
    private final Map<String, String> failing = new ConcurrentHashMap<>();

    public RuleHealth(MeterRegistry registry) {
        this.registry = registry;
    }

    void failed(String rule, Throwable e) {
        registry.counter("monitor.alert.rule.failures", "rule", rule).increment();
        String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + LogText.safe(e.getMessage(), 200));
        if (failing.put(rule, reason) == null) {
            Log.errorf(e, "Alert rule '%s' fails (%s); the other rules go on, and alert_rule_failed is raised", rule, reason);
        }
    }

    void succeeded(String rule) {
        if (failing.remove(rule) != null) {
            Log.infof("Alert rule '%s' works again", rule);
        }
    }

    /** Rule name to the reason of its last failure, sorted by name. */
    public Map<String, String> failing() {
        return new TreeMap<>(failing);
    }
}
