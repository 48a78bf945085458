package dev.monitoring.monitor.notify.config;

import dev.monitoring.monitor.labels.EqualsMatcher;
import dev.monitoring.monitor.labels.LabelMatcher;
import dev.monitoring.monitor.labels.RegexMatcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NotifyFileParserTest {
    static final String SOURCE = "/etc/monitor/notify.yaml";
    static final Map<String, String> ENV = Map.of(
            "NOTIFY_WEBHOOK_SECRET", "s3cr3t-webhook",
            "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXXSECRET",
            "PD_ROUTING_KEY", "R0UT1NGKEY0123456789abcdef012345");
    /** The example of the issue, line for line. */
    static final String EXAMPLE = """
            receivers:
              - name: ops-webhook
                webhook: { url: "https://hooks.example.com/monitor", secret: "${NOTIFY_WEBHOOK_SECRET}" }
              - name: ops-slack
                slack: { url: "${SLACK_WEBHOOK_URL}" }          # Slack-compatible incoming webhook (Mattermost too)
              - name: ops-mail
                email: { to: ["ops@example.com"] }             # SMTP through quarkus-mailer (QUARKUS_MAILER_*)
              - name: oncall
                pagerduty: { routing_key: "${PD_ROUTING_KEY}" } # Events API v2 format
            routes:                                            # first match wins unless continue: true
              - match: { severity: critical }
                receivers: [ops-webhook, ops-mail, oncall]
                group_by: [rule]
                group_wait: 10s
                group_interval: 5m
                repeat_interval: 4h
              - match: { rule: job_stale }
                receivers: [ops-slack]
            default_receivers: [ops-webhook]
            fallback_receivers: [ops-mail]     # where notification_failed goes
            """;

    @Test
    void theExampleParsesToItsSettings() {
        NotifySettings s = NotifyFileParser.parse(EXAMPLE, SOURCE, ENV);

        assertThat(s.receivers()).containsExactly(
                new ReceiverSpec("ops-webhook", "webhook", Map.of("url", "https://hooks.example.com/monitor",
                        "secret", "s3cr3t-webhook", "timeout", Duration.ofSeconds(5)), 2),
                new ReceiverSpec("ops-slack", "slack", Map.of("url", "https://hooks.slack.com/services/T000/B000/XXXXSECRET",
                        "timeout", Duration.ofSeconds(5)), 4),
                new ReceiverSpec("ops-mail", "email", Map.of("to", List.of("ops@example.com"), "timeout", Duration.ofSeconds(5)), 6),
                new ReceiverSpec("oncall", "pagerduty", Map.of("routing_key", "R0UT1NGKEY0123456789abcdef012345",
                        "url", "https://events.pagerduty.com/v2/enqueue", "timeout", Duration.ofSeconds(5)), 8));
        assertThat(s.routes()).containsExactly(
                new RouteSpec(0, List.of(new EqualsMatcher("severity", "critical")), List.of("ops-webhook", "ops-mail", "oncall"),
                        List.of("rule"), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofHours(4), false, 11),
                new RouteSpec(1, List.of(new EqualsMatcher("rule", "job_stale")), List.of("ops-slack"), List.of("rule"),
                        RouteSpec.DEFAULT_GROUP_WAIT, RouteSpec.DEFAULT_GROUP_INTERVAL, RouteSpec.DEFAULT_REPEAT_INTERVAL, false, 17));
        assertThat(s.defaultReceivers()).containsExactly("ops-webhook");
        assertThat(s.fallbackReceivers()).containsExactly("ops-mail");
        assertThat(s.receiver("ops-slack")).map(ReceiverSpec::type).contains("slack");
        assertThat(s.receivers().get(0).toString()).as("a spec never prints its secrets").doesNotContain("s3cr3t");
    }

    @Test
    void everyOptionalKeyIsRead() {
        NotifySettings s = NotifyFileParser.parse("""
                receivers:
                  - name: hook
                    webhook:
                      url: http://127.0.0.1:8080/x?token=1
                      timeout: 500ms
                  - name: mail
                    email: { to: [a@example.com, b@example.com], subject_prefix: "[prod]", timeout: 1m }
                  - name: pd
                    pagerduty: { routing_key: k, url: "http://localhost:9/v2/enqueue", timeout: 2s }
                routes:
                  - match: { category: database, job: "" }
                    match_re: { symbol: "AAPL|MSFT", rule: "critical_.*" }
                    receivers: hook
                    group_by: []
                    group_wait: 0s
                    group_interval: 1h30m
                    repeat_interval: 1d
                    continue: true
                  - receivers: [mail, pd]
                    group_by: [rule, symbol]
                """, "f", Map.of());

        assertThat(s.receiver("hook").orElseThrow().options()).containsEntry("timeout", Duration.ofMillis(500))
                .containsEntry("url", "http://127.0.0.1:8080/x?token=1").doesNotContainKey("secret");
        assertThat(s.receiver("mail").orElseThrow().options()).containsEntry("to", List.of("a@example.com", "b@example.com"))
                .containsEntry("subject_prefix", "[prod]").containsEntry("timeout", Duration.ofMinutes(1));
        assertThat(s.receiver("pd").orElseThrow().options()).containsEntry("url", "http://localhost:9/v2/enqueue");
        RouteSpec first = s.routes().get(0);
        assertThat(first.matchers()).containsExactly(new EqualsMatcher("category", "database"), new EqualsMatcher("job", ""),
                new RegexMatcher("symbol", "AAPL|MSFT"), new RegexMatcher("rule", "critical_.*"));
        assertThat(first.receivers()).containsExactly("hook");
        assertThat(first.groupBy()).isEmpty();
        assertThat(first.groupWait()).isZero();
        assertThat(first.groupInterval()).isEqualTo(Duration.ofMinutes(90));
        assertThat(first.repeatInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(first.continueMatching()).isTrue();
        RouteSpec second = s.routes().get(1);
        assertThat(second.matchers()).isEmpty();
        assertThat(second.matches(Map.of("rule", "anything"))).isTrue();
        assertThat(second.groupBy()).containsExactly("rule", "symbol");
        assertThat(s.defaultReceivers()).isEmpty();
        assertThat(s.fallbackReceivers()).isEmpty();

        assertThat(first.matches(Map.of("category", "database", "symbol", "AAPL", "rule", "critical_error"))).isTrue();
        assertThat(first.matches(Map.of("category", "database", "symbol", "AAPLX", "rule", "critical_error")))
                .as("a regex matches the whole value").isFalse();
        assertThat(first.matches(Map.of("category", "database", "job", "j", "symbol", "AAPL", "rule", "critical_error")))
                .as("job: \"\" matches alerts without a job only").isFalse();
    }

    @Test
    void variablesAreReplacedWithTheirDefaultsWhenUnsetOrEmpty() {
        NotifySettings s = NotifyFileParser.parse("""
                receivers:
                  - name: a
                    webhook: { url: "${HOOK_BASE}/x/${HOOK_PATH:default-path}", secret: "${EMPTY:fallback}" }
                  - name: b
                    webhook: { url: "https://h.example.com/x", secret: "${NO_SECRET:}" }
                """, "f", Map.of("HOOK_BASE", "https://h.example.com:8443", "EMPTY", ""));

        assertThat(s.receiver("a").orElseThrow().options()).containsEntry("url", "https://h.example.com:8443/x/default-path")
                .containsEntry("secret", "fallback");
        assertThat(s.receiver("b").orElseThrow().options()).doesNotContainKey("secret");
        // $${ writes a literal ${
        assertThat(NotifyFileParser.parse("""
                receivers:
                  - name: m
                    email: { to: [x@example.com], subject_prefix: "$${NOT_A_VAR}" }
                """, "f", Map.of()).receiver("m").orElseThrow().options()).containsEntry("subject_prefix", "${NOT_A_VAR}");
    }

    @Test
    void anEmptyValueOfAVariableWithoutDefaultIsAnError() {
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "https://h.example.com", secret: "${SECRET}" }
                """, Map.of("SECRET", ""), 3, "variable SECRET is not set (write ${SECRET:default} to give a default)");
    }

    @Test
    void aMissingVariableIsRefusedWithItsLine() {
        assertError("""
                receivers:
                  - name: ops-webhook
                    webhook: { url: "https://hooks.example.com/monitor" }
                  - name: ops-slack
                    slack:
                      url: "${SLACK_WEBHOOK_URL}"
                """, Map.of(), 6, "variable SLACK_WEBHOOK_URL is not set");
    }

    @Test
    void theErrorMessageOfTheIssue() {
        String yaml = EXAMPLE.replace("receivers: [ops-slack]", "receivers: [ops-slak]");
        NotifyFileException e = catchThrowableOfType(NotifyFileException.class, () -> NotifyFileParser.parse(yaml, SOURCE, ENV));
        assertThat(e.getMessage()).isEqualTo("NOTIFY_FILE /etc/monitor/notify.yaml line 18: route 2 names receiver 'ops-slak', "
                + "which is not defined (defined: ops-webhook, ops-slack, ops-mail, oncall)");
        assertThat(e.line()).isEqualTo(18);
        assertThat(e.source()).isEqualTo(SOURCE);
    }

    @Test
    void yamlSyntaxErrorsGiveTheLineOfTheProblem() {
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "https://h.example.com"
                routes: []
                """, Map.of(), 4, "not valid YAML");
        assertError("""
                receivers:
                  - name: a
                     webhook: x
                """, Map.of(), 3, "not valid YAML: mapping values are not allowed here");
        assertError("receivers:\n\t- name: a\n", Map.of(), 2, "not valid YAML");
        assertError("", Map.of(), 1, "the file is empty");
        assertError("- a\n- b\n", Map.of(), 1, "the file must be a mapping");
    }

    @Test
    void unknownTopLevelKey() {
        assertError("""
                receivers: []
                route:
                  - receivers: [a]
                """, Map.of(), 2, "unknown key 'route' (known: receivers, routes, default_receivers, fallback_receivers)");
    }

    @Test
    void keysGivenTwiceAreRefused() {
        assertError("""
                receivers: []
                routes: []
                receivers: []
                """, Map.of(), 3, "key 'receivers' is given twice (first on line 1)");
    }

    @Test
    void receiverTypesAndNames() {
        assertError("""
                receivers:
                  - name: teams
                    msteams: { url: "https://x.example.com" }
                """, Map.of(), 3, "receiver 'teams' has an unknown type 'msteams' (types: webhook, slack, email, pagerduty)");
        assertError("""
                receivers:
                  - name: none
                """, Map.of(), 2, "receiver 'none' has no type: give one of webhook, slack, email, pagerduty");
        assertError("""
                receivers:
                  - name: two
                    webhook: { url: "https://x.example.com" }
                    slack: { url: "https://x.example.com" }
                """, Map.of(), 4, "receiver 1 has two types (webhook and slack): give exactly one");
        assertError("""
                receivers:
                  - webhook: { url: "https://x.example.com" }
                """, Map.of(), 2, "receiver 1 has no name");
        assertError("""
                receivers:
                  - name: "has space"
                    webhook: { url: "https://x.example.com" }
                """, Map.of(), 2, "receiver 1: name 'has space' is not valid");
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "https://x.example.com" }
                  - name: b
                    slack: { url: "https://x.example.com" }
                  - name: a
                    email: { to: [o@example.com] }
                """, Map.of(), 6, "receiver name 'a' is used twice (first on line 2)");
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "https://x.example.com" }
                    timeout: 3s
                """, Map.of(), 4, "receiver 'a': 'timeout' belongs inside its type's options");
    }

    @Test
    void receiverOptions() {
        assertError("""
                receivers:
                  - name: a
                    webhook: { secret: x }
                """, Map.of(), 3, "receiver 'a': webhook needs a url");
        assertError("""
                receivers:
                  - name: a
                    slack:
                """, Map.of(), 3, "receiver 'a': slack needs a url");
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "ftp://files.example.com/x" }
                """, Map.of(), 3, "receiver 'a': url must start with http:// or https:// (it starts with ftp:)");
        assertError("""
                receivers:
                  - name: a
                    webhook:
                      url: "https://exa mple.com/x"
                """, Map.of(), 4, "receiver 'a': url is not a valid URL (Illegal character in authority)");
        assertError("""
                receivers:
                  - name: a
                    slack: { url: "hooks.slack.com/services/X" }
                """, Map.of(), 3, "receiver 'a': url must start with http:// or https://");
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "https://x.example.com", sekret: y }
                """, Map.of(), 3, "receiver 'a': unknown option 'sekret' for webhook (options: url, secret, timeout)");
        assertError("""
                receivers:
                  - name: a
                    email: { to: [] }
                """, Map.of(), 3, "receiver 'a': email needs to: with at least one address");
        assertError("""
                receivers:
                  - name: a
                    email: { to: [ops.example.com] }
                """, Map.of(), 3, "receiver 'a': 'ops.example.com' is not an email address");
        assertError("""
                receivers:
                  - name: a
                    pagerduty: { url: "https://events.example.com" }
                """, Map.of(), 3, "receiver 'a': pagerduty needs a routing_key");
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "https://x.example.com", timeout: 5 }
                """, Map.of(), 3, "receiver 'a': timeout '5' is not a duration (write e.g. 500ms, 10s, 5m, 4h, 1d)");
        assertError("""
                receivers:
                  - name: a
                    webhook: { url: "https://x.example.com", timeout: 0s }
                """, Map.of(), 3, "receiver 'a': timeout must be more than 0s and at most 1m");
    }

    @Test
    void aBadUrlFromAVariableIsNotQuoted() {
        NotifyFileException e = catchThrowableOfType(NotifyFileException.class, () -> NotifyFileParser.parse("""
                receivers:
                  - name: a
                    slack: { url: "${SLACK}" }
                """, "f", Map.of("SLACK", "gopher://hooks.slack.com/services/SECRETPATH")));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).doesNotContain("SECRETPATH").doesNotContain("hooks.slack.com");
    }

    @Test
    void routeMatchers() {
        String receivers = """
                receivers:
                  - name: a
                    webhook: { url: "https://x.example.com" }
                routes:
                """;
        assertError(receivers + """
                  - match: { host: db1 }
                    receivers: [a]
                """, Map.of(), 5, "route 1: unknown label 'host' in match (labels: rule, severity, category, job, symbol)");
        assertError(receivers + """
                  - receivers: [a]
                  - match_re: { symbol: "AAPL", hostname: "x.*" }
                    receivers: [a]
                """, Map.of(), 6, "route 2: unknown label 'hostname' in match_re");
        assertError(receivers + """
                  - match_re:
                      rule: "critical_(error"
                    receivers: [a]
                """, Map.of(), 6, "route 1: match_re on 'rule': invalid regular expression 'critical_(error': Unclosed group");
        assertError(receivers + """
                  - match: { severity: critcal }
                    receivers: [a]
                """, Map.of(), 5, "route 1: severity 'critcal' would never match (severities: debug, info, warning, error, critical)");
        assertError(receivers + """
                  - match: { job: }
                    receivers: [a]
                """, Map.of(), 5, "route 1: match on 'job' has no value");
        assertError(receivers + """
                  - match: { rule: job_stale }
                    receivers: [a]
                    group_by: [rule, host]
                """, Map.of(), 7, "route 1: unknown label 'host' in group_by");
        assertError(receivers + """
                  - match: { rule: job_stale }
                    receivers: [a]
                    groupby: [rule]
                """, Map.of(), 7, "route 1: unknown key 'groupby'");
    }

    @Test
    void routeDurationsAndFlags() {
        String receivers = """
                receivers:
                  - name: a
                    webhook: { url: "https://x.example.com" }
                routes:
                  - receivers: [a]
                """;
        assertError(receivers + "    group_wait: 10 seconds\n", Map.of(), 6,
                "route 1: group_wait '10 seconds' is not a duration (write e.g. 500ms, 10s, 5m, 4h, 1d)");
        assertError(receivers + "    repeat_interval: 4hours\n", Map.of(), 6, "route 1: repeat_interval '4hours' is not a duration");
        assertError(receivers + "    group_interval: 0s\n", Map.of(), 6, "route 1: group_interval must be more than 0s");
        assertError(receivers + "    continue: maybe\n", Map.of(), 6, "route 1: continue must be true or false, not 'maybe'");
        assertError(receivers.replace("  - receivers: [a]\n", "  - match: { rule: x }\n"), Map.of(), 5,
                "route 1 has no receivers: name at least one of a");
    }

    @Test
    void unknownReceiversInDefaultAndFallbackLists() {
        String receivers = """
                receivers:
                  - name: ops-webhook
                    webhook: { url: "https://x.example.com" }
                  - name: ops-mail
                    email: { to: [o@example.com] }
                """;
        assertError(receivers + "default_receivers: [ops-webhook, ops-hook]\n", Map.of(), 6,
                "default_receivers names receiver 'ops-hook', which is not defined (defined: ops-webhook, ops-mail)");
        assertError(receivers + "fallback_receivers:\n  - ops-mail\n  - mail\n", Map.of(), 8,
                "fallback_receivers names receiver 'mail', which is not defined (defined: ops-webhook, ops-mail)");
        assertError(receivers + "routes:\n  - receivers: [ops-mail, ops-mail]\n", Map.of(), 7,
                "route 1 names receiver 'ops-mail' twice");
        assertThat(NotifyFileParser.parse(receivers + "fallback_receivers: ops-mail\n", "f", Map.of()).fallbackReceivers())
                .as("a single name is a list of one").containsExactly("ops-mail");
    }

    @Test
    void regexMatcherIsBoundedOnACraftedValue() {
        // (.*a){12}b needs about 300^12 steps on 300 "a"s without the bound (it never ends); Java's own memoisation
        // does not help it, while the plain (a+)+b is handled by Java in ~90,000 steps (still under the bound)
        List<String> patterns = List.of("(.*a){12}b", "((a+)+)\\2b", "(a+)+b");
        String crafted = "a".repeat(5000);
        for (String p : patterns) {
            LabelMatcher m = LabelMatcher.regex("symbol", p);
            long start = System.nanoTime();
            boolean matched = m.matches(crafted);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(matched).as(p).isFalse();
            assertThat(millis).as(p + " returns within 1 s").isLessThan(1000);
        }
        // ordinary patterns still work on values up to the cap, and see only the first 300 characters
        assertThat(LabelMatcher.regex("symbol", "a*").matches("a".repeat(300))).isTrue();
        assertThat(LabelMatcher.regex("symbol", ".*needle.*").matches("x".repeat(250) + "needle" + "x".repeat(40))).isTrue();
        assertThat(LabelMatcher.regex("symbol", ".*needle.*").matches("x".repeat(400) + "needle")).isFalse();
        assertThat(LabelMatcher.regex("job", "").matches(null)).as("a missing label is \"\"").isTrue();
        assertThat(LabelMatcher.regex("job", ".+").matches(null)).isFalse();
        assertThat(LabelMatcher.equal("job", "").matches(null)).isTrue();
        assertThat(LabelMatcher.equal("job", "x").matches(null)).isFalse();
        assertThatThrownBy(() -> LabelMatcher.of("host", "x", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown label 'host'");
        assertThatThrownBy(() -> LabelMatcher.of("rule", "(", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid regular expression '('");
    }

    @Test
    void durations() {
        assertThat(NotifyDurations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(NotifyDurations.parse("0s")).contains(Duration.ZERO);
        assertThat(NotifyDurations.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(NotifyDurations.parse("5")).isEmpty();
        assertThat(NotifyDurations.parse("-5s")).isEmpty();
        assertThat(NotifyDurations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(NotifyDurations.format(Duration.ofSeconds(5))).isEqualTo("5s");
    }

    private static void assertError(String yaml, Map<String, String> env, int line, String reason) {
        NotifyFileException e = catchThrowableOfType(NotifyFileException.class, () -> NotifyFileParser.parse(yaml, SOURCE, env));
        assertThat(e).as("refused: " + reason).isNotNull();
        assertThat(e.getMessage()).startsWith("NOTIFY_FILE " + SOURCE + " line " + line + ": ").contains(reason);
        assertThat(e.line()).isEqualTo(line);
    }
}
