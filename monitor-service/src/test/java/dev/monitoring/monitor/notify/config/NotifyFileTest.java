package dev.monitoring.monitor.notify.config;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyFileTest {
    static final String ONE_RECEIVER = """
            receivers:
              - name: ops-webhook
                webhook: { url: "https://hooks.example.com/monitor", secret: "${SECRET}" }
            default_receivers: [ops-webhook]
            """;

    @TempDir
    Path dir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void withoutAFileTheSettingsAreEmpty() {
        NotifyFile file = new NotifyFile(Optional.of("  "), Map.of(), registry);

        assertThat(file.current()).isEqualTo(NotifySettings.empty());
        assertThat(file.source()).isEmpty();
        assertThat(file.configured()).isFalse();
        file.reload();
        file.scheduledCheck();
        assertThat(file.current()).isEqualTo(NotifySettings.empty());
    }

    @Test
    void aMissingOrInvalidFileFailsTheStart() throws IOException {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> new NotifyFile(Optional.of(missing.toString()), Map.of(), registry))
                .isInstanceOf(NotifyFileException.class)
                .hasMessage("NOTIFY_FILE " + missing + ": the file does not exist");

        Path invalid = write("invalid.yaml", ONE_RECEIVER);
        assertThatThrownBy(() -> new NotifyFile(Optional.of(invalid.toString()), Map.of(), registry))
                .isInstanceOf(NotifyFileException.class)
                .hasMessage("NOTIFY_FILE " + invalid + " line 3: variable SECRET is not set (write ${SECRET:default} to give a default)");
    }

    @Test
    void aValidChangeReplacesTheSettingsAndAnInvalidOneKeepsThem() throws IOException {
        Path path = write("notify.yaml", ONE_RECEIVER);
        NotifyFile file = new NotifyFile(Optional.of(path.toString()), Map.of("SECRET", "s"), registry);
        NotifySettings first = file.current();
        assertThat(first.receivers()).extracting(ReceiverSpec::name).containsExactly("ops-webhook");
        assertThat(file.source()).isEqualTo(path.toString());

        file.reload();
        assertThat(file.current()).as("same content: same object").isSameAs(first);

        write("notify.yaml", ONE_RECEIVER + "fallback_receivers: [ops-webhook]\n");
        file.reload();
        NotifySettings second = file.current();
        assertThat(second).isNotSameAs(first);
        assertThat(second.fallbackReceivers()).containsExactly("ops-webhook");
        assertThat(failures()).isZero();

        write("notify.yaml", ONE_RECEIVER.replace("default_receivers: [ops-webhook]", "default_receivers: [ops-hook]"));
        file.reload();
        assertThat(file.current()).as("an invalid change keeps the settings in force").isSameAs(second);
        assertThat(failures()).isEqualTo(1);
        assertThat(file.lastError()).contains("NOTIFY_FILE " + path
                + " line 4: default_receivers names receiver 'ops-hook', which is not defined (defined: ops-webhook)");

        file.scheduledCheck();
        file.scheduledCheck();
        assertThat(failures()).as("the scheduled check refuses one content once").isEqualTo(1);

        Files.delete(path);
        file.scheduledCheck();
        file.scheduledCheck();
        assertThat(file.current()).isSameAs(second);
        assertThat(failures()).isEqualTo(2);
        assertThat(file.lastError()).contains("NOTIFY_FILE " + path + ": the file does not exist");

        write("notify.yaml", ONE_RECEIVER);
        file.scheduledCheck();
        assertThat(file.current().fallbackReceivers()).as("the scheduled check takes a valid change").isEmpty();
        assertThat(file.lastError()).isEmpty();
        assertThat(failures()).isEqualTo(2);
    }

    @Test
    void switchToRefusesAnInvalidFileAndKeepsTheSettings() throws IOException {
        NotifyFile file = new NotifyFile(Optional.empty(), Map.of("SECRET", "s"), registry);
        Path bad = write("bad.yaml", "receivers: [\n");
        assertThatThrownBy(() -> file.switchTo(bad)).isInstanceOf(NotifyFileException.class).hasMessageContaining("line 2");
        assertThat(file.current()).isEqualTo(NotifySettings.empty());

        Path good = write("good.yaml", ONE_RECEIVER);
        file.switchTo(good);
        assertThat(file.current().receivers()).hasSize(1);
        assertThat(file.source()).isEqualTo(good.toString());
    }

    private double failures() {
        return registry.get("monitor.notify.file.reload_failures").counter().count();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
