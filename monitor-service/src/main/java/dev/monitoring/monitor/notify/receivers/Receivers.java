package dev.monitoring.monitor.notify.receivers;

import dev.monitoring.monitor.notify.config.NotifyFile;
import dev.monitoring.monitor.notify.config.NotifySettings;
import dev.monitoring.monitor.notify.config.ReceiverSpec;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receivers of the {@code NOTIFY_FILE} in force, built from {@link NotifyFile#current()} and rebuilt when it
 * changes (a reload). A receiver holds no connection of its own, so an old instance still in use keeps working.
 */
@ApplicationScoped
public class Receivers {
    private final NotifyFile file;
    private final ReactiveMailer mailer;
    private final String smtpServer;
    private volatile Built built;

    private record Built(NotifySettings settings, List<Receiver> all, Map<String, Receiver> byName) {
    }

    @Inject
    public Receivers(NotifyFile file, ReactiveMailer mailer,
                     @ConfigProperty(name = "quarkus.mailer.host") Optional<String> smtpHost,
                     @ConfigProperty(name = "quarkus.mailer.port") Optional<Integer> smtpPort) {
        this.file = file;
        this.mailer = mailer;
        this.smtpServer = smtpHost.map(h -> h + smtpPort.map(p -> ":" + p).orElse("")).orElse(null);
    }

    /** Every receiver, in file order. */
    public List<Receiver> all() {
        return built().all();
    }

    public Optional<Receiver> named(String name) {
        return Optional.ofNullable(built().byName().get(name));
    }

    private Built built() {
        NotifySettings settings = file.current();
        Built b = built;
        if (b != null && b.settings() == settings) {
            return b;
        }
        synchronized (this) {
            settings = file.current(); // the newest, should another thread have built in between
            if (built == null || built.settings() != settings) {
                Map<String, Receiver> byName = new LinkedHashMap<>();
                for (ReceiverSpec spec : settings.receivers()) {
                    byName.put(spec.name(), create(spec, mailer, smtpServer));
                }
                built = new Built(settings, List.copyOf(byName.values()), Map.copyOf(byName));
            }
            return built;
        }
    }

    /**
     * The receiver a validated spec describes.
     *
     * @param smtpServer {@code host:port} of the mailer, for details (may be null)
     * @throws IllegalArgumentException on a type it does not know (the parser refuses those)
     */
    public static Receiver create(ReceiverSpec spec, ReactiveMailer mailer, String smtpServer) {
        return switch (spec.type()) {
            case "webhook" -> WebhookReceiver.from(spec);
            case "slack" -> SlackReceiver.from(spec);
            case "pagerduty" -> PagerDutyReceiver.from(spec);
            case "email" -> EmailReceiver.from(spec, mailer, smtpServer);
            default -> throw new IllegalArgumentException("unknown receiver type '" + spec.type() + "'");
        };
    }
}
