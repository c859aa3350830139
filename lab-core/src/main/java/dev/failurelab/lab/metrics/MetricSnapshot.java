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

    /**
     * The value now of {@code name} (its samples whose labels include {@code match}, summed) in the
     * scrape of {@code target}; NaN if that scrape is missing or empty (unknown, not zero).
     */
    public static double now(Map<String, MetricSnapshot> scrapes, String target, String name,
            Map<String, String> match) {
        MetricSnapshot snapshot = scrapes.get(target);
        return snapshot == null || snapshot.isEmpty() ? Double.NaN : snapshot.sum(name, match);
    }

    /**
     * How much {@code name} (its samples whose labels include {@code match}) grew from
     * {@code before} to {@code after}, never negative (a restarted counter counts from zero); NaN if
     * either scrape is missing or empty (a service too busy to answer: unknown, not zero).
     */
    public static double increase(MetricSnapshot before, MetricSnapshot after, String name, Map<String, String> match) {
        if (before == null || after == null || before.isEmpty() || after.isEmpty()) {
            return Double.NaN;
        }
        return Math.max(0, after.sum(name, match) - before.sum(name, match));
    }

    /**
     * How much {@code name} grew between two scrapes of every target, summed over the targets; a
     * target missing from {@code before} counts from zero.
     */
    public static double increase(Map<String, MetricSnapshot> before, Map<String, MetricSnapshot> after, String name,
            Map<String, String> match) {
        double increase = 0;
        for (Map.Entry<String, MetricSnapshot> target : after.entrySet()) {
            increase += target.getValue().sum(name, match)
                    - before.getOrDefault(target.getKey(), EMPTY).sum(name, match);
        }
        return increase;
    }
}
