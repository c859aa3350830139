package dev.failurelab.exercise.retrystorm;

import dev.failurelab.chain.retry.RetryThrottle;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Exercise 11.1: your retry budget. It compiles, and it does not defend: it allows every retry,
 * which is what the naive policy does. Make it a budget, then run
 * {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with the figure they measured and a hint):
 * <ul>
 *   <li>over the last {@code window}, allow retries up to {@code ratio} × requests seen;</li>
 *   <li>plus a reserve of {@code minRetriesPerSecond} × window seconds, so a quiet service may still retry;</li>
 *   <li>forget requests and retries older than the window (time comes from {@code nanoClock});</li>
 *   <li>hold under concurrent callers: checking the budget and taking a retry is one step.</li>
 * </ul>
 *
 * <p>Where to look: the Google SRE book, "Handling Overload" (a per-client retry budget of 10%);
 * gRPC's retry throttling (a token bucket that requests fill and retries drain); Finagle's
 * {@code RetryBudget}.
 */
public final class MyRetryBudget implements RetryThrottle {

    private final double ratio;
    private final double minRetriesPerSecond;
    private final Duration window;
    private final LongSupplier nanoClock;

    public MyRetryBudget(double ratio, double minRetriesPerSecond, Duration window, LongSupplier nanoClock) {
        this.ratio = ratio;
        this.minRetriesPerSecond = minRetriesPerSecond;
        this.window = window;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onRequest() {
        // TODO: remember that a request happened, and when (nanoClock.getAsLong()).
    }

    @Override
    public boolean tryAcquireRetry() {
        // TODO: allow the retry only while retries in the window stay within ratio x requests + the reserve.
        return true;
    }

    @Override
    public double tokens() {
        // TODO: how many retries would be allowed now (the dashboards' "budget tokens").
        return 0;
    }
}
