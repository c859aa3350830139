package dev.failurelab.chain.retry;

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
 * <p>Concurrency: thread-safe. Deposits and withdrawals are kept per time slice (a tenth of the
 * window) in a ring; each operation takes a short lock on the ring, which costs nothing next to
 * an HTTP call and keeps the "ratio over the window" exact rather than approximate.
 */
public final class RetryBudget implements RetryThrottle {

    /** Default share of requests that may be retried. */
    public static final double DEFAULT_RATIO = 0.1;
    /** Default reserve: retries per second allowed even with no traffic. */
    public static final double DEFAULT_MIN_RETRIES_PER_SECOND = 1;
    /** Default window over which requests and retries are counted. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private static final int SLICES = 10;

    private final double ratio;
    private final double reserve;
    private final long sliceNanos;
    private final LongSupplier nanoClock;
    private final long[] requests = new long[SLICES];
    private final long[] retries = new long[SLICES];
    private long currentSlice;

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
        if (window == null || window.toMillis() < SLICES) {
            throw new IllegalArgumentException("window must be at least " + SLICES + " ms");
        }
        this.ratio = ratio;
        this.reserve = minRetriesPerSecond * window.toNanos() / 1e9;
        this.sliceNanos = window.toNanos() / SLICES;
        this.nanoClock = nanoClock;
        this.currentSlice = nanoClock.getAsLong() / sliceNanos;
    }

    /** A budget with the defaults: 10% of requests, 1 retry per second reserve, 10 s window. */
    public static RetryBudget ofDefaults() {
        return new RetryBudget(DEFAULT_RATIO, DEFAULT_MIN_RETRIES_PER_SECOND, DEFAULT_WINDOW, System::nanoTime);
    }

    @Override
    public synchronized void onRequest() {
        requests[advance()]++;
    }

    @Override
    public synchronized boolean tryAcquireRetry() {
        int slice = advance();
        if (available() < 1) {
            return false;
        }
        retries[slice]++;
        return true;
    }

    @Override
    public synchronized double tokens() {
        advance();
        return Math.max(0, available());
    }

    private double available() {
        long totalRequests = 0;
        long totalRetries = 0;
        for (int i = 0; i < SLICES; i++) {
            totalRequests += requests[i];
            totalRetries += retries[i];
        }
        return ratio * totalRequests + reserve - totalRetries;
    }

    /** Moves the ring to now, zeroing slices that fell out of the window; returns now's slot. */
    private int advance() {
        long now = nanoClock.getAsLong() / sliceNanos;
        long stale = Math.min(now - currentSlice, SLICES);
        for (long s = 1; s <= stale; s++) {
            int slot = (int) Math.floorMod(currentSlice + s, (long) SLICES);
            requests[slot] = 0;
            retries[slot] = 0;
        }
        if (now > currentSlice) {
            currentSlice = now;
        }
        return (int) Math.floorMod(currentSlice, (long) SLICES);
    }
}
