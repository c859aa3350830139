package dev.failurelab.lab.discovery;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;

/**
 * One row's seconds and what they show.
 *
 * @param row        the row's id
 * @param faultPhase the fault phase's name
 * @param target     the instance under the fault (killed, flapping), or null
 * @param seconds    every second: baseline, fault, recovery
 */
public record RowResult(String row, String faultPhase, String target, List<SecondRecord> seconds) {

    static final String BASELINE = "baseline";
    static final String RECOVERY = "recovery";
    /** A window of a minute, for membership changes per minute. */
    static final int MINUTE = 60;

    public RowResult {
        seconds = List.copyOf(seconds);
    }

    private List<SecondRecord> phase(String name) {
        return seconds.stream().filter(s -> s.phase().equals(name)).toList();
    }

    private List<SecondRecord> faultAndRecovery() {
        return seconds.stream().filter(s -> !s.phase().equals(BASELINE)).toList();
    }

    /** Errors over the answers of the whole fault phase. */
    public double faultErrorShare() {
        return errorShare(phase(faultPhase));
    }

    /** Errors (failed requests) under the fault. */
    public double faultErrors() {
        return sum(phase(faultPhase), DiscoveryFigures.ERRORS);
    }

    /** The worst second's share of errors under the fault. */
    public double peakErrorShare() {
        return phase(faultPhase).stream().mapToDouble(s -> s.figure(DiscoveryFigures.ERROR_SHARE)).max().orElse(0);
    }

    /** Instances the registry evicted from the fault's start to the row's end. */
    public double evictions() {
        return sum(faultAndRecovery(), DiscoveryFigures.EVICTIONS);
    }

    /** The fewest instances registered under the fault. */
    public double minRegistered() {
        return phase(faultPhase).stream().mapToDouble(s -> s.figure(DiscoveryFigures.REGISTERED))
                .filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    /**
     * Errors over the answers in the fault's seconds from the first in which the middle called only
     * {@code survivors} instances or fewer (the others evicted); NaN if it never did.
     */
    public double errorShareOnceDownTo(int survivors) {
        List<SecondRecord> fault = phase(faultPhase);
        for (int i = 0; i < fault.size(); i++) {
            if (fault.get(i).figure(DiscoveryFigures.ELIGIBLE) <= survivors) {
                return errorShare(fault.subList(i, fault.size()));
            }
        }
        return Double.NaN;
    }

    /** Seconds under the fault in which self-preservation held the registry's evictions. */
    public double selfPreservingSeconds() {
        return phase(faultPhase).stream().filter(s -> s.figure(DiscoveryFigures.SELF_PRESERVING) >= 1).count();
    }

    /** The most membership changes in any minute of the fault (in the whole fault if it is shorter). */
    public double maxChangesPerMinute() {
        List<SecondRecord> fault = phase(faultPhase);
        int window = Math.min(MINUTE, fault.size());
        double max = 0;
        for (int i = 0; i + window <= fault.size(); i++) {
            max = Math.max(max, sum(fault.subList(i, i + window), DiscoveryFigures.MEMBERSHIP_CHANGES));
        }
        return max;
    }

    /** Membership changes under the fault. */
    public double membershipChanges() {
        return sum(phase(faultPhase), DiscoveryFigures.MEMBERSHIP_CHANGES);
    }

    /**
     * The stale window: seconds from the fault's start until the middle stopped calling the
     * instance under it (the fault phase's number of the last second with a call to it); infinite
     * if it still was at the fault's end, 0 if it never was.
     */
    public double staleWindowSeconds() {
        List<SecondRecord> fault = phase(faultPhase);
        if (!fault.isEmpty() && fault.get(fault.size() - 1).figure(DiscoveryFigures.TARGET_CALLS) > 0) {
            return Double.POSITIVE_INFINITY;
        }
        return fault.stream().filter(s -> s.figure(DiscoveryFigures.TARGET_CALLS) > 0)
                .mapToDouble(SecondRecord::phaseSecond).max().orElse(0);
    }

    /** The oldest the middle's registry data got under the fault, in seconds. */
    public double maxRegistryAge() {
        return phase(faultPhase).stream().mapToDouble(s -> s.figure(DiscoveryFigures.REGISTRY_AGE))
                .filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    /** Calls retried on another instance under the fault. */
    public double retries() {
        return sum(phase(faultPhase), DiscoveryFigures.RETRIES);
    }

    /** Outlier ejections under the fault. */
    public double ejections() {
        return sum(phase(faultPhase), DiscoveryFigures.EJECTIONS);
    }

    private static double errorShare(List<SecondRecord> seconds) {
        double errors = sum(seconds, DiscoveryFigures.ERRORS);
        double all = errors + sum(seconds, DiscoveryFigures.OK);
        return all == 0 ? 0 : errors / all;
    }

    private static double sum(List<SecondRecord> seconds, String figure) {
        return seconds.stream().mapToDouble(s -> s.figure(figure)).filter(v -> !Double.isNaN(v)).sum();
    }
}
