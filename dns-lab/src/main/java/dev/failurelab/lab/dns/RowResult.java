package dev.failurelab.lab.dns;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;

/**
 * One row's seconds and what they show.
 *
 * @param row          the row's id
 * @param faultPhase   the fault phase's name (outage or slow)
 * @param p99BaselineMs the edge's p99 over the baseline (its request histogram)
 * @param p99FaultMs   the edge's p99 over the fault phase
 * @param seconds      every second: baseline, fault, recovery
 */
public record RowResult(String row, String faultPhase, double p99BaselineMs, double p99FaultMs,
        List<SecondRecord> seconds) {

    static final String BASELINE = "baseline";
    static final String RECOVERY = "recovery";
    /** A second with at most this share of errors is clean. */
    static final double CLEAN = 0.01;

    public RowResult {
        seconds = List.copyOf(seconds);
    }

    private List<SecondRecord> phase(String name) {
        return seconds.stream().filter(s -> s.phase().equals(name)).toList();
    }

    /**
     * Seconds from the fault's start to its first second with errors (over 1%): the fault phase's
     * second number (1: within the first second); infinite if none.
     */
    public double onsetSeconds() {
        return phase(faultPhase).stream().filter(s -> s.figure(DnsFigures.ERROR_SHARE) > CLEAN)
                .mapToDouble(SecondRecord::phaseSecond).findFirst().orElse(Double.POSITIVE_INFINITY);
    }

    /** The worst second's share of errors under the fault. */
    public double peakErrorShare() {
        return phase(faultPhase).stream().mapToDouble(s -> s.figure(DnsFigures.ERROR_SHARE)).max().orElse(0);
    }

    /** Errors over the answers of the whole fault phase. */
    public double faultErrorShare() {
        double errors = sum(faultPhase, DnsFigures.ERRORS);
        double all = errors + sum(faultPhase, DnsFigures.OK);
        return all == 0 ? 0 : errors / all;
    }

    /**
     * The signature: requests the bottom's proxy forwarded in the fault's failing seconds (90%
     * errors or more) beyond those answered in full, over the requests offered in them: the failed
     * requests that reached the network. The full answers of the second the failure began in went
     * through the proxy as they should (one IT run: 17 of them, 1.08% of the offered, had they been
     * counted). NaN if no second failed so.
     */
    public double proxyShareWhileFailing() {
        List<SecondRecord> failing = phase(faultPhase).stream()
                .filter(s -> s.figure(DnsFigures.ERROR_SHARE) >= 0.9).toList();
        double offered = failing.stream().mapToDouble(s -> s.figure(DnsFigures.OFFERED)).sum();
        double forwarded = failing.stream().mapToDouble(s -> s.figure(DnsFigures.PROXY_BOTTOM)).sum();
        double answered = failing.stream().mapToDouble(s -> s.figure(DnsFigures.OK)).sum();
        return offered == 0 ? Double.NaN : Math.max(0, forwarded - answered) / offered;
    }

    /**
     * Seconds from the DNS's restore until errors stop: the recovery phase's number of its first
     * clean second after which every second is clean (1: clean from the first second); infinite if
     * it never was.
     */
    public double recoverySeconds() {
        List<SecondRecord> recovery = phase(RECOVERY);
        for (int i = 0; i < recovery.size(); i++) {
            boolean cleanFromHere = recovery.subList(i, recovery.size()).stream()
                    .allMatch(s -> s.figure(DnsFigures.ERROR_SHARE) <= CLEAN);
            if (cleanFromHere) {
                return recovery.get(i).phaseSecond();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Stale answers the calling hops served during the fault. */
    public double staleServed() {
        return sum(faultPhase, DnsFigures.STALE);
    }

    /** Unknown-host attempts of the calling hops during the fault. */
    public double unknownHost() {
        return sum(faultPhase, DnsFigures.UNKNOWN_HOST);
    }

    /** p99 growth under the fault over the baseline, in ms. */
    public double p99GrowthMs() {
        return p99FaultMs - p99BaselineMs;
    }

    private double sum(String phase, String figure) {
        return phase(phase).stream().mapToDouble(s -> s.figure(figure)).filter(v -> !Double.isNaN(v)).sum();
    }
}
