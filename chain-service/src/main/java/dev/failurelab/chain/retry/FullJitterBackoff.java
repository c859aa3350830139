package dev.failurelab.chain.retry;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with <em>full</em> jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): wait a uniform random time in {@code [0, min(cap, base × 2^(n-1))]} before retry n.
 *
 * <p>Resilience4j's {@code IntervalFunction.ofExponentialRandomBackoff} applies its randomization
 * around the exponential value and, once capped, stops jittering: every client then retries in
 * lock-step at the cap. Full jitter keeps spreading retries at every step.
 *
 * <p>Thread-safe.
 */
public final class FullJitterBackoff implements IntervalFunction {

    private final long baseMillis;
    private final long capMillis;

    public FullJitterBackoff(Duration base, Duration cap) {
        if (base == null || base.toMillis() < 1) {
            throw new IllegalArgumentException("base must be at least 1 ms");
        }
        if (cap == null || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap must be greater than or equal to base");
        }
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** The upper bound of the wait before retry {@code attempt} (1 = first retry). */
    public long ceilingMillis(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        return Math.min(capMillis, baseMillis << doublings);
    }

    @Override
    public Long apply(Integer attempt) {
        return ThreadLocalRandom.current().nextLong(ceilingMillis(attempt) + 1);
    }
}
