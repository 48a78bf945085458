package dev.monitoring.monitor.notify;

/** The Redis keys of the notification groups, under one prefix (tests use their own). */
record NotifyKeys(String prefix) {
    String due() {
        return prefix + ":due";
    }

    String group(String groupKey) {
        return prefix + ":group:" + groupKey;
    }

    String alerts(String groupKey) {
        return prefix + ":alerts:" + groupKey;
    }
}
