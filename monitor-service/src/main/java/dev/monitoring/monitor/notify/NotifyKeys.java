package dev.monitoring.monitor.notify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The Redis keys of the notification groups, under one prefix (tests use their own), and the scripts that keep them. */
record NotifyKeys(String prefix) {
    /** A Lua script of the groups (notify-enqueue.lua, notify-flush.lua), read from the classpath. */
    static String script(String resource) {
        try (InputStream in = NotifyKeys.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing " + resource, e);
        }
    }

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
