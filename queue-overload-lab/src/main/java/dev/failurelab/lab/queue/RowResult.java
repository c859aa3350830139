package dev.failurelab.lab.queue;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;
import java.util.function.Predicate;

/**
 * One queue discipline's row: every second of it, and the figures its hypotheses read.
 *
 * @param discipline    the queue discipline
 * @param capacity      the measured capacity C (requests per second)
 * @param baselineLoad  the baseline's (and the return's) load, a multiple of C
 * @param emptyDepth    the depth at or under which the queue counts as drained
 * @param seconds       every second of the row, in order (phases baseline, ramp-1, ramp-2, hold, return)
 */
public record RowResult(String discipline, double capacity, double baselineLoad, int emptyDepth,
        List<SecondRecord> seconds) {

    /** The phases of a row, in order, each with its load as a multiple of C (the hold's and baseline's are settings). */
    public static final List<String> PHASES = List.of("baseline", "ramp-1", "ramp-2", "hold", "return");

    public RowResult {
        seconds = List.copyOf(seconds);
    }

    private List<SecondRecord> phase(String name) {
        return seconds.stream().filter(s -> s.phase().equals(name)).toList();
    }

    /** The mean of a figure over a phase's seconds (NaN seconds, unscraped, left out; NaN if none). */
    public double mean(String phase, String figure) {
        return phase(phase).stream().mapToDouble(s -> s.figure(figure)).filter(v -> !Double.isNaN(v)).average()
                .orElse(Double.NaN);
    }

    /** The sum of a figure over the whole row (NaN seconds left out). */
    public double total(String figure) {
        return seconds.stream().mapToDouble(s -> s.figure(figure)).filter(v -> !Double.isNaN(v)).sum();
    }

    /**
     * Goodput during the hold (twice the capacity), as a share of C: over its second half, once
     * the overload has had time to build a queue (the answers of its first half were mostly sent
     * before it, in the ramp).
     */
    public double holdGoodputShare() {
        int seconds = phase("hold").size();
        return phase("hold").stream().filter(s -> s.phaseSecond() > seconds / 2)
                .mapToDouble(s -> s.figure(QueueFigures.GOODPUT)).filter(v -> !Double.isNaN(v)).average()
                .orElse(Double.NaN) / capacity;
    }

    /** Mean over a phase's seconds of their p99 of successful answers, ms (only seconds with some); NaN if none. */
    public double p99(String phase) {
        return phase(phase).stream().filter(s -> s.figure(QueueFigures.GOODPUT) > 0)
                .mapToDouble(s -> s.figure(QueueFigures.P99_OK_MS)).average().orElse(Double.NaN);
    }

    /** p99 of the successful answers during the hold over the baseline's; infinite if the hold had none. */
    public double p99Ratio() {
        double hold = p99("hold");
        return Double.isNaN(hold) ? Double.POSITIVE_INFINITY : hold / p99("baseline");
    }

    /** Requests waiting at the end of the hold. */
    public double backlog() {
        List<SecondRecord> hold = phase("hold");
        return hold.isEmpty() ? Double.NaN : hold.get(hold.size() - 1).figure(QueueFigures.QUEUE);
    }

    /** Seconds after the hold until the queue was drained (the first such second counts 1); infinite if never. */
    public double drainSeconds() {
        Predicate<SecondRecord> drained = s -> s.figure(QueueFigures.QUEUE) <= emptyDepth;
        return phase("return").stream().filter(drained).findFirst().map(s -> (double) s.phaseSecond())
                .orElse(Double.POSITIVE_INFINITY);
    }

    /** The fastest the backlog can drain: backlog / (C - the return's load), seconds. */
    public double predictedDrainSeconds() {
        return backlog() / (capacity * (1 - baselineLoad));
    }

    /** Work served after its caller's deadline, as a share of all the bottom served in the row. */
    public double wastedShare() {
        double served = total(QueueFigures.SERVED);
        return served == 0 ? 0 : total(QueueFigures.WASTED) / served;
    }

    /** Live requests served within their deadline, as a share of the live requests that arrived. */
    public double liveSuccess() {
        double arrived = total(QueueFigures.LIVE_ARRIVED);
        return arrived == 0 ? 1 : total(QueueFigures.LIVE_MET) / arrived;
    }

    /** Batch requests among the shed ones (1 when none was shed). */
    public double batchShedShare() {
        double shed = total(QueueFigures.SHED);
        return shed == 0 ? 1 : total(QueueFigures.SHED_BATCH) / shed;
    }
}
