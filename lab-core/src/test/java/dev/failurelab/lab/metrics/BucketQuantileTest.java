package dev.failurelab.lab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketQuantileTest {

    private static MetricSnapshot buckets(double le01, double le02, double le05, double inf) {
        return new MetricSnapshot(Map.of("wait_seconds_bucket", List.of(
                new MetricSnapshot.Sample(Map.of("le", "0.1", "outcome", "value"), le01),
                new MetricSnapshot.Sample(Map.of("le", "0.2", "outcome", "value"), le02),
                new MetricSnapshot.Sample(Map.of("le", "0.5", "outcome", "value"), le05),
                new MetricSnapshot.Sample(Map.of("le", "+Inf", "outcome", "value"), inf),
                new MetricSnapshot.Sample(Map.of("le", "+Inf", "outcome", "timeout"), 1000))));
    }

    @Test
    void of_theUpperBoundOfTheBucketTheQuantileFallsIn_overTheIncreaseAcrossTargets() {
        // Between the scrapes: a: 90 <= 0.1 s, 9 in (0.1, 0.2], 1 in (0.2, 0.5]; b: 100 <= 0.1 s.
        Map<String, MetricSnapshot> before = Map.of("a", buckets(10, 10, 10, 10), "b", buckets(0, 0, 0, 0));
        Map<String, MetricSnapshot> after = Map.of("a", buckets(100, 109, 110, 110), "b", buckets(100, 100, 100, 100));

        assertThat(BucketQuantile.of(before, after, "wait_seconds_bucket", Map.of("outcome", "value"), 0.5)).isEqualTo(0.1);
        assertThat(BucketQuantile.of(before, after, "wait_seconds_bucket", Map.of("outcome", "value"), 0.99)).isEqualTo(0.2);
        assertThat(BucketQuantile.of(before, after, "wait_seconds_bucket", Map.of("outcome", "value"), 1.0)).isEqualTo(0.5);
    }

    @Test
    void of_nothingRecordedInBetween_isNaN() {
        Map<String, MetricSnapshot> same = Map.of("a", buckets(5, 5, 5, 5));
        assertThat(BucketQuantile.of(same, same, "wait_seconds_bucket", Map.of("outcome", "value"), 0.99)).isNaN();
    }
}
