package dev.failurelab.chain.discovery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The renewals the registry accepted over a sliding window, as a rate per minute: the measure
 * self-preservation compares with its threshold. Eureka measures it over a 60 s bucket that swaps
 * once a minute (so its self-preservation lags a lost heartbeat by one to two minutes); the lab
 * compresses Eureka's clocks, and measures over a shorter sliding window
 * ({@code chain.registry.renewal-window}).
 *
 * <p>Concurrency: thread-safe (synchronized; a few renewals per second per instance).
 */
final class RenewalWindow {

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Long> renewals = new ArrayDeque<>();

    RenewalWindow(Duration window, LongSupplier nanoTime) {
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("chain.registry.renewal-window must be positive");
        }
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Counts one renewal, now. */
    synchronized void record() {
        long now = nanoTime.getAsLong();
        renewals.addLast(now);
        prune(now);
    }

    /** The renewals of the last window, scaled to a minute. */
    synchronized long perMinute() {
        prune(nanoTime.getAsLong());
        return Math.round(renewals.size() * (60_000_000_000.0 / windowNanos));
    }

    private void prune(long now) {
        while (!renewals.isEmpty() && now - renewals.peekFirst() > windowNanos) {
            renewals.removeFirst();
        }
    }
}
