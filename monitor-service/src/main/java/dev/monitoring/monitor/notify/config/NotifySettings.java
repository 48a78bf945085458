package dev.monitoring.monitor.notify.config;

import java.util.List;
import java.util.Optional;

/**
 * What {@code NOTIFY_FILE} says, validated: the receivers, the routes in file order, the receivers of alerts no route
 * takes, and the receivers of {@code notification_failed}. Empty when no file is configured: alerts are then recorded
 * and shown, and delivered nowhere.
 */
public record NotifySettings(List<ReceiverSpec> receivers, List<RouteSpec> routes, List<String> defaultReceivers,
                             List<String> fallbackReceivers) {

    public static NotifySettings empty() {
        return new NotifySettings(List.of(), List.of(), List.of(), List.of());
    }

    public Optional<ReceiverSpec> receiver(String name) {
        return receivers.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
