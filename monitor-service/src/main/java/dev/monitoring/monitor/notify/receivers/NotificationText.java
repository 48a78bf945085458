package dev.monitoring.monitor.notify.receivers;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How notifications read for people (Slack, email, PagerDuty summaries). Event text is kept on one line and cut. */
public final class NotificationText {
    private NotificationText() {
    }

    /** {@code [FIRING]}, {@code [RESOLVED]}, preceded by {@code [TEST] } for a test notification. */
    public static String tag(Notification n) {
        String status = Notification.RESOLVED.equals(n.status()) ? "[RESOLVED]" : "[FIRING]";
        return n.test() ? "[TEST] " + status : status;
    }

    /** {@code [FIRING] 3 alerts: critical_error, error_rate}: the tag, the count and the distinct rules (at most 3 named). */
    public static String headline(Notification n) {
        List<Map<String, Object>> alerts = alerts(n);
        String count = alerts.size() + (alerts.size() == 1 ? " alert" : " alerts");
        Set<String> rules = new LinkedHashSet<>();
        for (Map<String, Object> a : alerts) {
            rules.add(field(a, "rule"));
        }
        rules.remove("");
        if (rules.isEmpty()) {
            return tag(n) + " " + count;
        }
        List<String> named = rules.stream().limit(3).toList();
        return tag(n) + " " + count + ": " + String.join(", ", named) + (rules.size() > 3 ? ", ..." : "");
    }

    /** The alerts, never null. */
    public static List<Map<String, Object>> alerts(Notification n) {
        return n.alerts() == null ? List.of() : n.alerts();
    }

    /** A field of an alert as one line of text, "" when absent. */
    public static String field(Map<String, Object> alert, String key) {
        Object v = alert == null ? null : alert.get(key);
        return v == null ? "" : oneLine(String.valueOf(v));
    }

    /** Control characters (line breaks included) become spaces, runs of spaces one space. */
    public static String oneLine(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), 4096));
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                if (!space && b.length() > 0) {
                    b.append(' ');
                }
                space = true;
            } else {
                b.append(c);
                space = false;
            }
        }
        return b.toString().strip();
    }

    /** At most {@code max} characters, ending with "..." when cut (never splitting a surrogate pair). */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Math.max(0, max - 3);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
