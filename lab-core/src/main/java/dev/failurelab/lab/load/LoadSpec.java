package dev.failurelab.lab.load;

import java.net.URI;
import java.time.Duration;

/**
 * What an open-loop run sends: {@code rate} requests per second to {@code target}, for
 * {@code duration} or {@code maxRequests}, whichever ends first.
 *
 * @param target         URL every request is sent to (GET)
 * @param rate           arrivals per second; the schedule does not slow down when the system does
 * @param duration       how long arrivals continue
 * @param maxRequests    the most requests sent (bounds a run whatever the duration)
 * @param timeout        a request still unanswered after this counts as a timeout
 * @param maxOutstanding requests allowed in flight at once; past it arrivals are counted as
 *                       {@code dropped}, never delayed (the generator must not close the loop)
 */
public record LoadSpec(URI target, double rate, Duration duration, long maxRequests, Duration timeout,
        int maxOutstanding) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_OUTSTANDING = 10_000;

    public LoadSpec {
        if (target == null || !("http".equals(target.getScheme()) || "https".equals(target.getScheme()))) {
            throw new IllegalArgumentException("target must be an http(s) URL");
        }
        if (!(rate > 0) || rate > 100_000) {
            throw new IllegalArgumentException("rate must be greater than 0 and at most 100000 per second");
        }
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be at least 1");
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be at least 1");
        }
    }

    /** {@code rate} per second for {@code duration}, with default timeout and bounds. */
    public static LoadSpec of(URI target, double rate, Duration duration) {
        long planned = (long) Math.ceil(rate * duration.toNanos() / 1e9);
        return new LoadSpec(target, rate, duration, Math.max(1, planned), DEFAULT_TIMEOUT, DEFAULT_MAX_OUTSTANDING);
    }

    public LoadSpec withTimeout(Duration timeout) {
        return new LoadSpec(target, rate, duration, maxRequests, timeout, maxOutstanding);
    }
}
