package dev.failurelab.chain.partition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Finds the hot keys among the router's requests: the Space-Saving algorithm (Metwally, Agrawal and
 * El Abbadi, 2005) keeps {@code counters} keys with their counts per window; when a window ends,
 * the keys whose share of its requests reached {@code minShare} are the hot ones for the next
 * window. Memory stays bounded whatever the key space; a key that carries at least
 * {@code 1 / counters} of the traffic is never missed.
 *
 * <p>Concurrency: thread-safe; {@link #offer} takes this object's lock briefly, {@link #isHot} and
 * {@link #top} read the last window's result without it.
 */
public final class HotKeyDetector {

    /** A key and its share of the last window's requests. */
    public record HotKey(String key, double share) {
    }

    private final int counters;
    private final LongSupplier clock;
    private final Map<String, long[]> counts = new HashMap<>();
    private volatile long windowNanos;
    private volatile double minShare;
    private long windowStart;
    private long requests;
    private volatile List<HotKey> top = List.of();
    private volatile Set<String> hot = Set.of();

    /**
     * @param counters the keys counted at once (the top-k it can see)
     * @param window   how long one window lasts
     * @param minShare the share of a window's requests that makes a key hot
     * @param clock    nanoseconds (System::nanoTime)
     */
    public HotKeyDetector(int counters, Duration window, double minShare, LongSupplier clock) {
        if (counters < 1) {
            throw new IllegalArgumentException("the detector needs at least one counter");
        }
        this.counters = counters;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
        configure(window, minShare);
    }

    /** New window and threshold, from the next window on. */
    public void configure(Duration window, double minShare) {
        if (window.isZero() || window.isNegative() || !(minShare > 0 && minShare <= 1)) {
            throw new IllegalArgumentException("a positive window and a share in (0, 1] are needed");
        }
        this.windowNanos = window.toNanos();
        this.minShare = minShare;
    }

    /** Counts one request for {@code key}. */
    public synchronized void offer(String key) {
        roll(clock.getAsLong());
        requests++;
        long[] count = counts.get(key);
        if (count != null) {
            count[0]++;
        } else if (counts.size() < counters) {
            counts.put(key, new long[] {1});
        } else {
            // Space-Saving: the newcomer takes the smallest counter's place, and its count plus one.
            Map.Entry<String, long[]> smallest = null;
            for (Map.Entry<String, long[]> entry : counts.entrySet()) {
                if (smallest == null || entry.getValue()[0] < smallest.getValue()[0]) {
                    smallest = entry;
                }
            }
            long[] taken = counts.remove(smallest.getKey());
            taken[0]++;
            counts.put(key, taken);
        }
    }

    /** Whether {@code key} was hot in the last window that ended. */
    public boolean isHot(String key) {
        return hot.contains(key);
    }

    /** The last ended window's counted keys, hottest first, with their shares. */
    public List<HotKey> top() {
        synchronized (this) {
            roll(clock.getAsLong());
        }
        return top;
    }

    private void roll(long now) {
        if (now - windowStart < windowNanos) {
            return;
        }
        List<HotKey> ranked = new ArrayList<>();
        // A window with no request since the last one ended leaves nothing hot.
        if (requests > 0 && now - windowStart < 2 * windowNanos) {
            for (Map.Entry<String, long[]> entry : counts.entrySet()) {
                ranked.add(new HotKey(entry.getKey(), (double) entry.getValue()[0] / requests));
            }
        }
        ranked.sort(Comparator.comparingDouble(HotKey::share).reversed().thenComparing(HotKey::key));
        top = List.copyOf(ranked);
        double threshold = minShare;
        hot = Set.copyOf(ranked.stream().filter(k -> k.share() >= threshold).map(HotKey::key).toList());
        counts.clear();
        requests = 0;
        windowStart = now;
    }
}
