package dev.failurelab.lab.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * A quantile of what a Prometheus histogram recorded between two scrapes (of one or more targets),
 * as PromQL's {@code histogram_quantile} over an {@code increase}, but without interpolation: the
 * answer is the upper bound of the bucket the quantile falls in, so it never understates.
 */
public final class BucketQuantile {

    private BucketQuantile() {
    }

    /**
     * @param before  scrapes by target, earlier
     * @param after   scrapes by target, later
     * @param buckets the bucket series, e.g. {@code chain_cache_lock_wait_seconds_bucket}
     * @param match   labels the samples must have (besides {@code le})
     * @param q       the quantile, 0..1
     * @return the quantile in the histogram's unit, or NaN if nothing was recorded in between
     */
    public static double of(Map<String, MetricSnapshot> before, Map<String, MetricSnapshot> after, String buckets,
            Map<String, String> match, double q) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        after.forEach((target, snapshot) -> {
            for (MetricSnapshot.Sample sample : snapshot.samples().getOrDefault(buckets, java.util.List.of())) {
                if (!sample.labels().entrySet().containsAll(match.entrySet()) || !sample.labels().containsKey("le")) {
                    continue;
                }
                double earlier = before.getOrDefault(target, MetricSnapshot.EMPTY).sum(buckets, sample.labels());
                cumulative.merge(parseLe(sample.labels().get("le")), sample.value() - earlier, Double::sum);
            }
        });
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double rank = q * cumulative.lastEntry().getValue();
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double parseLe(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}
