package dev.failurelab.chain.capacity;

import java.time.Duration;

/**
 * The project's {@link WaitLimit}: Facebook's CoDel ("Fail at Scale") and its adaptive LIFO. The
 * reference solution of the queue-overload exercise.
 *
 * <p>Thread-safe: immutable.
 */
public final class FacebookCodel implements WaitLimit {

    private final long targetNanos;
    private final long intervalNanos;

    public FacebookCodel(Duration target, Duration interval) {
        if (target == null || interval == null || target.isNegative() || interval.isNegative()) {
            throw new IllegalArgumentException("CoDel's target and interval must be zero or positive");
        }
        this.targetNanos = target.toNanos();
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public long maxWaitNanos(long standingNanos) {
        return standingNanos >= intervalNanos ? targetNanos : intervalNanos;
    }

    @Override
    public boolean newestFirst(long standingNanos) {
        return standingNanos >= intervalNanos;
    }
}
