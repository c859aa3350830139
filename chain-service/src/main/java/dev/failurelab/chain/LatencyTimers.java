package dev.failurelab.chain;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The one way the chain's meters time latency. */
public final class LatencyTimers {

    private LatencyTimers() {
    }

    /**
     * A latency timer as every chain meter records one: a Prometheus histogram (for
     * {@code histogram_quantile}) from 1 ms to 30 s, with exact buckets at the latency SLOs' bounds
     * ({@code le="0.5"}, {@code le="1.0"}: a drill's latency SLI counts the answers under one).
     */
    public static Timer.Builder builder(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .serviceLevelObjectives(Duration.ofMillis(500), Duration.ofSeconds(1));
    }
}
