package dev.failurelab.chain.capacity;

import dev.failurelab.chain.defence.DefenceImplementation;
import java.time.Duration;

/**
 * CoDel's decision for the bottom's queue ({@code codel} and {@code adaptive-lifo}): how long a
 * waiter may wait now, and whether the newest goes first. {@link FacebookCodel} is the project's;
 * the queue-overload exercise has participants write their own ({@code exercises/}), which the
 * bottom runs when {@code chain.queue.codel.implementation} names its class.
 *
 * <p>The contract ("Fail at Scale", Facebook's CoDel): once the queue has stood, not empty, for a
 * whole {@code interval}, a waiter may wait at most {@code target}; otherwise (a burst into a queue
 * that was just empty) at most {@code interval}. Adaptive LIFO serves the newest waiter first while
 * the queue stands, the oldest otherwise. The queue decides what "empty" is and how long it has
 * stood; implementations only answer, and must be thread-safe (they are called under the queue's
 * lock, so keep them quick and stateless).
 */
public interface WaitLimit {

    /**
     * The longest a waiter may wait now, nanoseconds.
     *
     * @param standingNanos how long the queue has stood, not empty (0: it was empty just now)
     */
    long maxWaitNanos(long standingNanos);

    /** Whether the newest waiter is served first now (adaptive LIFO); same argument. */
    boolean newestFirst(long standingNanos);

    /** Makes a wait limit from CoDel's two durations. */
    @FunctionalInterface
    interface Factory {

        /**
         * @param target   the wait allowed once the queue stands (Facebook: 5 ms)
         * @param interval how long the queue must stand first, and the wait allowed until then (100 ms)
         */
        WaitLimit create(Duration target, Duration interval);
    }

    /**
     * The factory of {@code implementation}: {@value DefenceImplementation#REFERENCE}, or the name
     * of a class that implements this interface with a public constructor
     * {@code (Duration target, Duration interval)}.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    static Factory factory(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return FacebookCodel::new;
        }
        DefenceImplementation<WaitLimit> loaded = DefenceImplementation.load("chain.queue.codel.implementation",
                implementation, WaitLimit.class, "(Duration target, Duration interval)", Duration.class,
                Duration.class);
        return (target, interval) -> loaded.create(target, interval);
    }
}
