package dev.monitoring.monitor.notify.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code NOTIFY_FILE} ({@code monitor.notify.file}): read at start-up, where a missing or invalid file fails the
 * start with its line and reason; then checked every {@code monitor.notify.reload-every} and re-read when its content
 * changed. A valid change replaces the settings (INFO log); an invalid one keeps the previous settings, is logged at
 * ERROR with its line and reason, and counted in {@code monitor_notify_file_reload_failures_total}. Without a file the
 * settings are {@link NotifySettings#empty()}: alerts are recorded and shown, and delivered nowhere.
 * <p>
 * {@link #current()} returns one immutable {@link NotifySettings} object per accepted content: callers may compare it
 * by identity to know whether it changed.
 */
@Startup
@ApplicationScoped
public class NotifyFile {
    /** Larger files are refused: a notification file is a few kilobytes. */
    static final long MAX_BYTES = 1024 * 1024;

    private final Map<String, String> env;
    private final Counter reloadFailures;
    private volatile Path path;
    private volatile NotifySettings current;
    /** The bytes {@link #current} was read from (null without a file). */
    private byte[] currentContent;
    /** The last content the scheduled check looked at, accepted or not: it is not parsed (nor logged) again. */
    private byte[] lastSeen;
    private volatile String lastError;

    @Inject
    public NotifyFile(@ConfigProperty(name = "monitor.notify.file") Optional<String> file, MeterRegistry registry) {
        this(file, System.getenv(), registry);
    }

    /** For tests: variables from {@code env} instead of the process environment. */
    public NotifyFile(Optional<String> file, Map<String, String> env, MeterRegistry registry) {
        this.env = env;
        this.reloadFailures = Counter.builder("monitor.notify.file.reload_failures")
                .description("Changes of NOTIFY_FILE refused (invalid or unreadable): the previous settings stay")
                .register(registry);
        Optional<String> configured = file.map(String::strip).filter(f -> !f.isEmpty());
        if (configured.isEmpty()) {
            current = NotifySettings.empty();
            Log.info("NOTIFY_FILE is not set: alerts are recorded and shown, and sent to no receiver");
            return;
        }
        path = Path.of(configured.get());
        byte[] content = read(path);
        current = NotifyFileParser.parse(decode(content, path), path.toString(), env);
        currentContent = content;
        lastSeen = content;
        Log.infof("NOTIFY_FILE %s: %s", path, summary(current));
    }

    /** The settings in force: never null. */
    public NotifySettings current() {
        return current;
    }

    /** The file's path as configured, or "" when there is none. */
    public String source() {
        Path p = path;
        return p == null ? "" : p.toString();
    }

    /** Whether a file is configured. */
    public boolean configured() {
        return path != null;
    }

    /** The reason the last change was refused (file, line and reason), or empty once a later change was accepted. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Re-reads the file now: a changed, valid content replaces the settings; an invalid or unreadable one keeps them
     * (ERROR log, counted, {@link #lastError()}). Does nothing without a file or when the content did not change.
     */
    public void reload() {
        check(true);
    }

    /**
     * Switches to another file now, valid or not kept: for tests that need receivers while the test profile has no
     * file. An invalid file throws {@link NotifyFileException} and the current settings stay.
     */
    public synchronized void switchTo(Path file) {
        byte[] content = read(file);
        NotifySettings settings = NotifyFileParser.parse(decode(content, file), file.toString(), env);
        path = file;
        accept(settings, content);
    }

    @Scheduled(every = "${monitor.notify.reload-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCheck() {
        check(false);
    }

    private synchronized void check(boolean force) {
        Path p = path;
        if (p == null) {
            return;
        }
        byte[] content;
        NotifySettings settings;
        try {
            content = read(p);
            if (Arrays.equals(content, currentContent)) {
                lastSeen = content;
                lastError = null; // back to what is in force (a refused change undone)
                return;
            }
            if (!force && Arrays.equals(content, lastSeen)) {
                return; // refused already, and said so
            }
            lastSeen = content;
            settings = NotifyFileParser.parse(decode(content, p), p.toString(), env);
        } catch (NotifyFileException e) {
            if (!force && e.getMessage().equals(lastError)) {
                return; // the same unreadable file: said once
            }
            lastError = e.getMessage();
            reloadFailures.increment();
            Log.errorf("%s; the previous settings stay in force (%s)", e.getMessage(), summary(current));
            return;
        }
        accept(settings, content);
        Log.infof("NOTIFY_FILE %s changed: %s", p, summary(settings));
    }

    private void accept(NotifySettings settings, byte[] content) {
        current = settings;
        currentContent = content;
        lastSeen = content;
        lastError = null;
    }

    private static byte[] read(Path p) {
        try {
            if (Files.size(p) > MAX_BYTES) {
                throw new NotifyFileException(p.toString(), 0, "the file is larger than " + MAX_BYTES / 1024 + " KiB");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new NotifyFileException(p.toString(), 0, "the file does not exist");
        } catch (IOException e) {
            throw new NotifyFileException(p.toString(), 0, "the file cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static String decode(byte[] content, Path p) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new NotifyFileException(p.toString(), 0, "the file is not UTF-8 text");
        }
    }

    /** Names and counts, never an option value (they may be secrets). */
    static String summary(NotifySettings s) {
        return s.receivers().size() + " receivers " + s.receivers().stream().map(r -> r.name() + " (" + r.type() + ")").toList()
                + ", " + s.routes().size() + " routes, default_receivers " + s.defaultReceivers()
                + ", fallback_receivers " + s.fallbackReceivers();
    }
}
