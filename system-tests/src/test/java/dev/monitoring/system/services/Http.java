package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small blocking HTTP helpers for the instances' REST and health endpoints. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    static HttpResponse<String> post(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    static JsonNode json(String url) {
        HttpResponse<String> response = get(url);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(url + " answered " + response.statusCode() + " with no JSON: " + response.body());
        }
    }

    /** A counter of the Prometheus text on /q/metrics (summed over its label sets), 0 when absent. */
    static double metric(String baseUrl, String name) {
        return metric(get(baseUrl + "/q/metrics").body(), name, "");
    }

    /**
     * A metric of a Prometheus text already fetched, summed over the label sets that contain {@code labels} (e.g.
     * {@code area="heap"}; empty for all), 0 when absent.
     */
    static double metric(String prometheusText, String name, String labels) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(prometheusText);
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
