package dev.failurelab.lab.partition;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;

/**
 * One row's measurements: every second (baseline, then the celebrity trigger), and what the
 * shards said of their local reads.
 *
 * @param row            the row's id
 * @param shards         the number of shards
 * @param judgedFrom     the trigger's seconds from which the row is judged (the hot-key detector's
 *                       window has passed)
 * @param localHitRatio  the shards' reads of keys they already held, share of all their reads, during the row
 * @param seconds        every second, in order
 * @param placements     the router's exact placements per shard in each whole second of the trigger
 */
public record RowResult(String row, int shards, int judgedFrom, double localHitRatio, List<SecondRecord> seconds,
        List<Placements> placements) {

    /**
     * The router's placements in one whole wall-clock second of the trigger, counted as it made them.
     *
     * @param triggerSecond the second of the trigger it is (1: the first whole one)
     * @param placed        requests placed on each shard, shard 1 first
     * @param writes        of them, the increments
     */
    public record Placements(int triggerSecond, long[] placed, long[] writes) {
    }

    static final String BASELINE = "baseline";
    static final String CELEBRITY = "celebrity";

    public RowResult {
        seconds = List.copyOf(seconds);
        placements = List.copyOf(placements);
    }

    /** The seconds of the trigger that are judged. */
    List<SecondRecord> judged() {
        return seconds.stream().filter(s -> s.phase().equals(CELEBRITY) && s.phaseSecond() >= judgedFrom).toList();
    }

    /** The sum of {@code figure} over the judged seconds. */
    double total(String figure) {
        return judged().stream().mapToDouble(s -> s.figure(figure)).filter(v -> !Double.isNaN(v)).sum();
    }

    /** The mean per second of {@code figure} over {@code phase}'s seconds (all of them). */
    double mean(String phase, String figure) {
        return seconds.stream().filter(s -> s.phase().equals(phase)).mapToDouble(s -> s.figure(figure))
                .filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    /** Max/mean of the requests per shard, summed over the judged seconds (the router's exact counts). */
    public double maxMean() {
        return ratio(Placements::placed);
    }

    /** Max/mean of the writes per shard, summed over the judged seconds. */
    public double writeMaxMean() {
        return ratio(Placements::writes);
    }

    private double ratio(java.util.function.Function<Placements, long[]> counts) {
        double[] perShard = new double[shards];
        placements.stream().filter(p -> p.triggerSecond() >= judgedFrom).forEach(p -> {
            long[] c = counts.apply(p);
            for (int i = 0; i < perShard.length; i++) {
                perShard[i] += c[i];
            }
        });
        return PartitionFigures.maxOverMean(perShard);
    }

    /** The highest max/mean of any whole second of the trigger (the router's exact counts, every second). */
    public double worstSecondMaxMean() {
        return placements.stream().mapToDouble(p -> PartitionFigures.maxOverMean(
                java.util.Arrays.stream(p.placed()).asDoubleStream().toArray())).filter(v -> !Double.isNaN(v)).max()
                .orElse(Double.NaN);
    }

    /** Throttled requests, share of the router's requests, over the judged seconds. */
    public double throttledShare() {
        return share(PartitionFigures.THROTTLED, PartitionFigures.REQUESTS);
    }

    /** Reads placed off their key's home shard, share of all placements, over the judged seconds. */
    public double offHomeShare() {
        double placed = 0;
        for (int n = 1; n <= shards; n++) {
            placed += total(PartitionFigures.shard(n));
        }
        return placed > 0 ? total(PartitionFigures.OFF_HOME) / placed : Double.NaN;
    }

    /** Shard calls for hot keys per second, over the judged seconds. */
    public double hotCallsPerSecond() {
        return judged().isEmpty() ? Double.NaN : total(PartitionFigures.HOT_CALLS) / judged().size();
    }

    /** The mean p99 (ms) over the judged seconds, of the keys on the hot shard or of the others. */
    public double p99(String figure) {
        return judged().stream().mapToDouble(s -> s.figure(figure)).filter(v -> !Double.isNaN(v)).average()
                .orElse(Double.NaN);
    }

    private double share(String part, String whole) {
        double all = total(whole);
        return all > 0 ? total(part) / all : Double.NaN;
    }
}
