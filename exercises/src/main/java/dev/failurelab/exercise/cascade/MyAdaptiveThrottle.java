package dev.failurelab.exercise.cascade;

import dev.failurelab.chain.overload.ClientThrottle;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Exercise 12.1: your client-side adaptive throttle, on the middle's calls to the bottom. It
 * compiles, and it does not defend: it lets every request through, as a client without
 * throttling does. Make it throttle, then run {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with the figure they measured and a hint):
 * <ul>
 *   <li>over the last {@code window}, count the requests asked for and the ones the backend accepted;</li>
 *   <li>reject a new request locally with probability
 *       {@code max(0, (requests - k x accepts) / (requests + 1))}: draw {@code random.getAsDouble()}
 *       and reject if the draw is below it;</li>
 *   <li>count a request you rejected as a request (not an accept), so a refusing backend is
 *       throttled harder;</li>
 *   <li>forget what is older than the window (time comes from {@code nanoClock});</li>
 *   <li>hold under concurrent callers.</li>
 * </ul>
 *
 * <p>Where to look: the Google SRE book, chapter "Handling Overload", section "Client-side
 * throttling"; the project's {@code SlidingCounts} keeps counts over a window, if you want it.
 */
public final class MyAdaptiveThrottle implements ClientThrottle {

    private final double k;
    private final Duration window;
    private final LongSupplier nanoClock;
    private final DoubleSupplier random;

    public MyAdaptiveThrottle(double k, Duration window, LongSupplier nanoClock, DoubleSupplier random) {
        this.k = k;
        this.window = window;
        this.nanoClock = nanoClock;
        this.random = random;
    }

    @Override
    public boolean allow() {
        // TODO: count the request; reject it (false) with the probability below.
        return true;
    }

    @Override
    public void onAnswer(boolean accepted) {
        // TODO: count an accept.
    }

    @Override
    public double probability() {
        // TODO: max(0, (requests - k x accepts) / (requests + 1)) over the window.
        return 0;
    }
}
