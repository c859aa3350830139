package dev.failurelab.chain.partition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The router's placements per shard in each wall-clock second, counted exactly as they are made:
 * the samples the max/mean ratio is judged on (a scrape of several counters, read one after another
 * while requests go on, would skew a second's shares by the requests placed meanwhile). Keeps the
 * last {@link #KEPT} seconds that ended.
 *
 * <p>Concurrency: thread-safe (this object's lock, briefly per placement).
 */
public final class PlacementSeconds {

    /** How many ended seconds are kept. */
    public static final int KEPT = 120;

    /**
     * One second's placements.
     *
     * @param epochSecond the second (Unix time)
     * @param placed      the requests placed on each shard, shard 1 first
     * @param writes      of them, the counter increments
     */
    public record Second(long epochSecond, long[] placed, long[] writes) {

        /** The busiest shard's placements over the mean; NaN if none. */
        public double maxMean() {
            return maxMean(placed);
        }

        /** The same, for the writes alone. */
        public double writeMaxMean() {
            return maxMean(writes);
        }

        private static double maxMean(long[] counts) {
            long total = 0;
            long max = 0;
            for (long c : counts) {
                total += c;
                max = Math.max(max, c);
            }
            return total == 0 ? Double.NaN : max / ((double) total / counts.length);
        }
    }

    private final int shards;
    private final LongSupplier epochMillis;
    private final Deque<Second> ended = new ArrayDeque<>();
    private long current = Long.MIN_VALUE;
    private long[] placed;
    private long[] writes;

    public PlacementSeconds(int shards, LongSupplier epochMillis) {
        this.shards = shards;
        this.epochMillis = epochMillis;
        this.placed = new long[shards];
        this.writes = new long[shards];
    }

    /** Counts a placement on {@code shard} (from 0). */
    public synchronized void record(int shard, boolean write) {
        roll(epochMillis.getAsLong() / 1000);
        placed[shard]++;
        if (write) {
            writes[shard]++;
        }
    }

    /**
     * Whether one more placement on {@code shard} keeps its count this second within
     * {@code (1 + balanceFactor)} times the second's average, counting it, as {@code bound} judges.
     */
    public synchronized boolean within(int shard, double balanceFactor, LoadBound bound) {
        roll(epochMillis.getAsLong() / 1000);
        long total = 0;
        for (long c : placed) {
            total += c;
        }
        return bound.hasRoom(placed[shard], total, placed.length, balanceFactor);
    }

    /** The seconds that ended, oldest first (up to {@link #KEPT}). */
    public synchronized List<Second> ended() {
        roll(epochMillis.getAsLong() / 1000);
        return new ArrayList<>(ended);
    }

    /** The last second that ended, if any placement was made in it. */
    public synchronized Second last() {
        roll(epochMillis.getAsLong() / 1000);
        Second last = ended.peekLast();
        return last != null && last.epochSecond() == current - 1 ? last : null;
    }

    private void roll(long second) {
        if (second == current) {
            return;
        }
        if (current != Long.MIN_VALUE) {
            ended.addLast(new Second(current, placed, writes));
            while (ended.size() > KEPT) {
                ended.removeFirst();
            }
        }
        current = second;
        placed = new long[shards];
        writes = new long[shards];
    }
}
