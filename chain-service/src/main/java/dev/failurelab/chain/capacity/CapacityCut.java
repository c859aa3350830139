package dev.failurelab.chain.capacity;

import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A trigger that costs no CPU: a share of the bottom's capacity taken away for a while. While a
 * cut of {@code fraction} is in force, each request's service time is {@code 1 / (1 - fraction)}
 * times longer (the slots sleep, they do not spin), so the bottom serves {@code 1 - fraction} of
 * its usual rate: 0.8 turns 4 slots × 40 ms (100 req/s) into 4 × 200 ms (20 req/s). Every cut has
 * a duration and ends by itself when it runs out (no thread: it is read as expired), so it never
 * outlives the lab that set it. Shown in {@code chain.capacity.cut}.
 *
 * <p>Concurrency: thread-safe (one immutable state, swapped whole).
 */
public final class CapacityCut {

    /** The largest cut: 99% (a cut of 100% would be an outage, which the fault injector does). */
    public static final double MAX_FRACTION = 0.99;
    /** The longest cut. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);

    private record State(double fraction, long untilNanos) {
    }

    private final LongSupplier nanoClock;
    private volatile State state = new State(0, 0);

    public CapacityCut(LongSupplier nanoClock, MeterRegistry registry) {
        this.nanoClock = nanoClock;
        Gauge.builder(ChainMetricNames.CAPACITY_CUT, this, CapacityCut::fraction)
                .description("The share of the bottom's capacity cut now (a lab's trigger)").register(registry);
    }

    /**
     * Cuts {@code fraction} of the capacity for {@code duration}, replacing any cut in force.
     *
     * @throws IllegalArgumentException naming {@code fraction} or {@code duration} if out of bounds
     */
    public void cut(double fraction, Duration duration) {
        if (!(fraction >= 0 && fraction <= MAX_FRACTION)) {
            throw new IllegalArgumentException("fraction must be between 0 and " + MAX_FRACTION + ", got " + fraction);
        }
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be between 1ms and " + MAX_DURATION.toMinutes() + "m");
        }
        state = new State(fraction, nanoClock.getAsLong() + duration.toNanos());
    }

    /** Ends the cut in force, if any. */
    public void end() {
        state = new State(0, 0);
    }

    /** The share cut now; 0 once the cut ran out. */
    public double fraction() {
        State now = state;
        return nanoClock.getAsLong() - now.untilNanos() < 0 ? now.fraction() : 0;
    }

    /** Milliseconds until the cut in force runs out; 0 if none. */
    public long remainingMillis() {
        State now = state;
        long left = now.untilNanos() - nanoClock.getAsLong();
        return left > 0 && now.fraction() > 0 ? Duration.ofNanos(left).toMillis() : 0;
    }

    /** {@code serviceNanos} as the cut stretches it. */
    long stretch(long serviceNanos) {
        double cut = fraction();
        return cut == 0 ? serviceNanos : Math.round(serviceNanos / (1 - cut));
    }
}
