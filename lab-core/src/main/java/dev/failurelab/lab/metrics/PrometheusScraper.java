package dev.failurelab.lab.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a service's meters from its Prometheus endpoint ({@code /actuator/prometheus}), the same
 * text Prometheus scrapes — so the lab judges exactly what a dashboard would show.
 *
 * <p>Thread-safe.
 */
public final class PrometheusScraper {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private final Duration timeout;

    public PrometheusScraper(Duration timeout) {
        this.timeout = timeout;
    }

    /** Scrapes {@code url}; an unreachable or slow target gives {@link MetricSnapshot#EMPTY}. */
    public MetricSnapshot scrape(URI url) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : MetricSnapshot.EMPTY;
        } catch (IOException e) {
            return MetricSnapshot.EMPTY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MetricSnapshot.EMPTY;
        }
    }

    /** Parses the Prometheus text exposition format (comments and blank lines skipped). */
    public static MetricSnapshot parse(String text) {
        Map<String, List<MetricSnapshot.Sample>> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space;
            String name;
            Map<String, String> labels;
            if (brace >= 0 && brace < line.indexOf(' ')) {
                int close = line.lastIndexOf('}');
                name = line.substring(0, brace);
                labels = labels(line.substring(brace + 1, close));
                space = close + 1;
            } else {
                space = line.indexOf(' ');
                name = line.substring(0, space);
                labels = Map.of();
            }
            String[] rest = line.substring(space).trim().split("\\s+");
            double value;
            try {
                value = Double.parseDouble(rest[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            samples.computeIfAbsent(name, n -> new ArrayList<>()).add(new MetricSnapshot.Sample(labels, value));
        }
        return new MetricSnapshot(samples);
    }

    private static Map<String, String> labels(String body) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < body.length()) {
            int equals = body.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String key = body.substring(i, equals).trim();
            int start = body.indexOf('"', equals) + 1;
            StringBuilder value = new StringBuilder();
            int j = start;
            for (; j < body.length() && body.charAt(j) != '"'; j++) {
                char c = body.charAt(j);
                if (c == '\\' && j + 1 < body.length()) {
                    char next = body.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i = j + 1;
            while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
                i++;
            }
        }
        return labels;
    }
}
