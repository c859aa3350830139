package dev.failurelab.lab.load;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A per-second view of an open-loop run, by the second in which each request was sent or ended
 * (counted from {@code originNanos}): what a live progress line and a phase's samples show.
 * Latency is from the intended send time, as everywhere in the lab.
 *
 * <p>Concurrency: thread-safe; seconds are created on first use and updated with adders.
 */
public final class LoadTimeline implements LoadObserver {

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
    /**
     * The status of a degraded answer: 203 Non-Authoritative Information, a success that is not
     * the origin's full answer (the edge's graceful degradation serves its last good answer so).
     */
    public static final int DEGRADED_STATUS = 203;

    private final long originNanos;
    private final ConcurrentMap<Long, Second> seconds = new ConcurrentHashMap<>();

    public LoadTimeline(long originNanos) {
        this.originNanos = originNanos;
    }

    @Override
    public void onSent(long intendedNanos) {
        second(intendedNanos).sent.increment();
    }

    @Override
    public void onCompleted(long intendedNanos, long completedNanos, int status, Outcome outcome) {
        Second second = second(completedNanos);
        switch (outcome) {
            case SUCCESS -> {
                second.succeeded.increment();
                if (status == DEGRADED_STATUS) {
                    second.degraded.increment();
                }
            }
            case FAILED -> second.failed.increment();
            case TIMEOUT -> second.timeouts.increment();
            case CONNECTION_ERROR -> second.connectErrors.increment();
        }
        long micros = Math.min(Math.max(TimeUnit.NANOSECONDS.toMicros(completedNanos - intendedNanos), 0), MAX_MICROS);
        second.latency.recordValue(micros);
        if (outcome == Outcome.SUCCESS) {
            second.successLatency.recordValue(micros);
        }
    }

    private Second second(long nanos) {
        return seconds.computeIfAbsent(Math.floorDiv(nanos - originNanos, 1_000_000_000L), s -> new Second());
    }

    /** What happened in second {@code index} (0 = the first second after the origin). */
    public SecondSample sample(long index) {
        Second s = seconds.get(index);
        if (s == null) {
            return new SecondSample(index, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        Histogram latency = s.latency.copy();
        return new SecondSample(index, s.sent.sum(), s.succeeded.sum(), s.degraded.sum(), s.failed.sum(),
                s.timeouts.sum(), s.connectErrors.sum(), percentile(latency, 50), percentile(latency, 99),
                percentile(s.successLatency.copy(), 99));
    }

    private static double percentile(Histogram latency, double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The whole second the clock is in now. */
    public long currentSecond() {
        return Math.floorDiv(System.nanoTime() - originNanos, 1_000_000_000L);
    }

    /**
     * One second of a run.
     *
     * @param second        index from the origin
     * @param sent          requests scheduled in this second
     * @param succeeded     2xx answers that arrived in this second
     * @param degraded      of those, the degraded ones ({@value #DEGRADED_STATUS})
     * @param failed        non-2xx answers that arrived in this second
     * @param timeouts      requests that timed out in this second
     * @param connectErrors requests that failed to connect in this second
     * @param p50Millis     median latency of the requests that ended in this second
     * @param p99Millis     99th percentile latency of the requests that ended in this second
     * @param p99SuccessMillis 99th percentile latency of the 2xx answers that arrived in this second
     */
    public record SecondSample(long second, long sent, long succeeded, long degraded, long failed, long timeouts,
            long connectErrors, double p50Millis, double p99Millis, double p99SuccessMillis) {

        public long completed() {
            return succeeded + failed + timeouts + connectErrors;
        }

        /** Full (not degraded) answers that arrived in this second: the goodput. */
        public long full() {
            return succeeded - degraded;
        }

        /** Share of the requests ended this second that succeeded (1 when none ended). */
        public double successRatio() {
            return completed() == 0 ? 1.0 : (double) succeeded / completed();
        }
    }

    private static final class Second {
        final LongAdder sent = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder degraded = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder timeouts = new LongAdder();
        final LongAdder connectErrors = new LongAdder();
        final ConcurrentHistogram latency = new ConcurrentHistogram(MAX_MICROS, 2);
        final ConcurrentHistogram successLatency = new ConcurrentHistogram(MAX_MICROS, 2);
    }
}
