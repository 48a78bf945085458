package dev.monitoring.gateway.dashboard;

import org.eclipse.microprofile.config.ConfigProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Publishes events the way an operator does in the issue: with {@code redis-cli}. */
final class RedisCli {

    private RedisCli() {
    }

    /** {@code redis-cli PUBLISH channel payload}. */
    static void publish(String channel, String payload) {
        List<String> command = baseCommand();
        command.addAll(List.of("PUBLISH", channel, payload));
        run(command, null);
    }

    /** Many PUBLISH commands in one go ({@code redis-cli --pipe}), for a burst within a fraction of a second. */
    static void publishAll(String channel, List<String> payloads) {
        ByteArrayOutputStream resp = new ByteArrayOutputStream();
        for (String payload : payloads) {
            appendCommand(resp, "PUBLISH", channel, payload);
        }
        List<String> command = baseCommand();
        command.add("--pipe");
        run(command, resp.toByteArray());
    }

    private static List<String> baseCommand() {
        URI redis = URI.create(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class).split(",")[0]);
        return new ArrayList<>(List.of("redis-cli", "-h", redis.getHost(),
                "-p", String.valueOf(redis.getPort() == -1 ? 6379 : redis.getPort())));
    }

    private static void appendCommand(ByteArrayOutputStream out, String... parts) {
        StringBuilder header = new StringBuilder("*").append(parts.length).append("\r\n");
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void run(List<String> command, byte[] input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli did not finish within 10 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli failed (" + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli is not installed (apt-get install redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
