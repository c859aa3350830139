package dev.failurelab.chain.overload;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Counts of a few kinds of event (requests and retries, requests and accepts) over the last
 * {@code window}, kept per time slice (a tenth of the window) in a ring: a slice leaves the window
 * whole, so the counts are those of the last 9 to 10 tenths of it.
 *
 * <p>Not thread-safe: its owner guards it (the retry budget and the adaptive throttle take a short
 * lock per call, which costs nothing next to an HTTP call and keeps a check and its update one step).
 */
public final class SlidingCounts {

    /** Slices per window. */
    public static final int SLICES = 10;

    private final long sliceNanos;
    private final LongSupplier nanoClock;
    private final long[][] counts;
    private long currentSlice;

    /**
     * @param kinds     how many kinds of event are counted (indexes 0..kinds-1)
     * @param window    how far back events count, at least {@value #SLICES} ms
     * @param nanoClock monotonic time source ({@code System::nanoTime}; tests move it)
     */
    public SlidingCounts(int kinds, Duration window, LongSupplier nanoClock) {
        if (window == null || window.toMillis() < SLICES) {
            throw new IllegalArgumentException("window must be at least " + SLICES + " ms");
        }
        this.sliceNanos = window.toNanos() / SLICES;
        this.nanoClock = nanoClock;
        this.counts = new long[kinds][SLICES];
        this.currentSlice = nanoClock.getAsLong() / sliceNanos;
    }

    /** Counts one event of {@code kind} now. */
    public void add(int kind) {
        counts[kind][advance()]++;
    }

    /** Events of {@code kind} in the window up to now. */
    public long total(int kind) {
        advance();
        long total = 0;
        for (long slice : counts[kind]) {
            total += slice;
        }
        return total;
    }

    /** Moves the ring to now, zeroing slices that fell out of the window; returns now's slot. */
    private int advance() {
        long now = nanoClock.getAsLong() / sliceNanos;
        long stale = Math.min(now - currentSlice, SLICES);
        for (long s = 1; s <= stale; s++) {
            int slot = (int) Math.floorMod(currentSlice + s, (long) SLICES);
            for (long[] kind : counts) {
                kind[slot] = 0;
            }
        }
        if (now > currentSlice) {
            currentSlice = now;
        }
        return (int) Math.floorMod(currentSlice, (long) SLICES);
    }
}
