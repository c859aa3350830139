package dev.failurelab.chain.retry;

import dev.failurelab.chain.overload.SlidingCounts;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A retry budget: retries are allowed only while, over the last {@code window}, they stay below
 * {@code ratio} × requests plus a small reserve of {@code minRetriesPerSecond} × window — the
 * token-bucket idea of gRPC retry throttling and Finagle's {@code RetryBudget}. Under a brownout
 * the budget caps amplification at {@code 1 + ratio}; at low traffic the reserve still lets a
 * lone request retry.
 *
 * <p>Use it with a Resilience4j {@code Retry}: call {@link #onRequest()} once per call (first
 * attempt), and {@link #tryAcquireRetry()} in the retry predicate, only when a retry would
 * otherwise happen.
 *
 * <p>Concurrency: thread-safe. Requests and retries are counted per time slice of the window
 * ({@link SlidingCounts}); each operation takes a short lock, which costs nothing next to an HTTP
 * call and keeps the check and the take one step.
 */
public final class RetryBudget implements RetryThrottle {

    /** Default share of requests that may be retried. */
    public static final double DEFAULT_RATIO = 0.1;
    /** Default reserve: retries per second allowed even with no traffic. */
    public static final double DEFAULT_MIN_RETRIES_PER_SECOND = 1;
    /** Default window over which requests and retries are counted. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private static final int REQUESTS = 0;
    private static final int RETRIES = 1;

    private final double ratio;
    private final double reserve;
    private final SlidingCounts counts;

    /**
     * @param ratio               share of requests that may be retried, 0..1
     * @param minRetriesPerSecond reserve of retries per second regardless of traffic, &ge; 0
     * @param window              how far back requests and retries count
     * @param nanoClock           monotonic time source ({@code System::nanoTime})
     */
    public RetryBudget(double ratio, double minRetriesPerSecond, Duration window, LongSupplier nanoClock) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio must be between 0 and 1");
        }
        if (!(minRetriesPerSecond >= 0)) {
            throw new IllegalArgumentException("minRetriesPerSecond must be greater than or equal to 0");
        }
        this.counts = new SlidingCounts(2, window, nanoClock);
        this.ratio = ratio;
        this.reserve = minRetriesPerSecond * window.toNanos() / 1e9;
    }

    /** A budget with the defaults: 10% of requests, 1 retry per second reserve, 10 s window. */
    public static RetryBudget ofDefaults() {
        return new RetryBudget(DEFAULT_RATIO, DEFAULT_MIN_RETRIES_PER_SECOND, DEFAULT_WINDOW, System::nanoTime);
    }

    @Override
    public synchronized void onRequest() {
        counts.add(REQUESTS);
    }

    @Override
    public synchronized boolean tryAcquireRetry() {
        if (available() < 1) {
            return false;
        }
        counts.add(RETRIES);
        return true;
    }

    @Override
    public synchronized double tokens() {
        return Math.max(0, available());
    }

    private double available() {
        return ratio * counts.total(REQUESTS) + reserve - counts.total(RETRIES);
    }
}
