package dev.failurelab.lab.metrics;

import java.util.List;
import java.util.Map;

/**
 * One scrape of a Prometheus endpoint: every sample by metric name.
 *
 * @param samples samples by metric name (as exported, e.g. {@code chain_requests_seconds_count})
 */
public record MetricSnapshot(Map<String, List<Sample>> samples) {

    /** An empty snapshot (the target could not be scraped). */
    public static final MetricSnapshot EMPTY = new MetricSnapshot(Map.of());

    /**
     * One sample.
     *
     * @param labels its labels
     * @param value  its value
     */
    public record Sample(Map<String, String> labels, double value) {
    }

    /** Sum of the samples of {@code name} whose labels include all of {@code match}. */
    public double sum(String name, Map<String, String> match) {
        double sum = 0;
        for (Sample sample : samples.getOrDefault(name, List.of())) {
            if (sample.labels().entrySet().containsAll(match.entrySet())) {
                sum += sample.value();
            }
        }
        return sum;
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }
}
