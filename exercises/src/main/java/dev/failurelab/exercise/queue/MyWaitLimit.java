package dev.failurelab.exercise.queue;

import dev.failurelab.chain.capacity.WaitLimit;
import java.time.Duration;

/**
 * Exercise 12.4: your CoDel, on the bottom's queue. It compiles, and it does not defend: every
 * waiter may wait forever and the oldest always goes first, as a plain FIFO queue does. Make it
 * shed, then run {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with the figure they measured and a hint):
 * <ul>
 *   <li>once the queue has stood (not empty) for a whole {@code interval}, let a waiter wait at most
 *       {@code target};</li>
 *   <li>until then (a burst into a queue that was just empty), let it wait the {@code interval};</li>
 *   <li>adaptive LIFO: serve the newest waiter first while the queue stands, the oldest otherwise.</li>
 * </ul>
 * The queue tells you how long it has stood; it sheds the waiters past your limit itself.
 *
 * <p>Where to look: Ben Maurer, "Fail at Scale" (ACM Queue, 2015), the section on controlled delay
 * and adaptive LIFO; Nichols and Jacobson, "Controlling Queue Delay" (ACM Queue, 2012).
 */
public final class MyWaitLimit implements WaitLimit {

    private final Duration target;
    private final Duration interval;

    public MyWaitLimit(Duration target, Duration interval) {
        this.target = target;
        this.interval = interval;
    }

    @Override
    public long maxWaitNanos(long standingNanos) {
        // TODO: the target once the queue has stood for the interval, the interval until then.
        return Long.MAX_VALUE;
    }

    @Override
    public boolean newestFirst(long standingNanos) {
        // TODO: true while the queue stands (for the interval or longer).
        return false;
    }
}
