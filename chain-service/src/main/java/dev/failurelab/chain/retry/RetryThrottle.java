package dev.failurelab.chain.retry;

import dev.failurelab.chain.defence.DefenceImplementation;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What a retry budget does for {@link RetryingCaller}: it is told of every call, and asked before
 * every retry. {@link RetryBudget} is the project's; the retry-storm exercise has participants
 * write their own ({@code exercises/}), which a hop runs when {@code chain.retry.budget-implementation}
 * names its class.
 *
 * <p>The contract: over the last {@code window}, retries stay at or below {@code ratio} × requests,
 * plus a reserve of {@code minRetriesPerSecond} × window; requests and retries older than the window
 * stop counting; and it holds under concurrent use (the check and the take are one step).
 * Implementations must be thread-safe.
 */
public interface RetryThrottle {

    /** Records a request (a call's first attempt): it earns {@code ratio} of a retry. */
    void onRequest();

    /**
     * Takes one retry from the budget if there is one.
     *
     * @return whether the retry may go ahead
     */
    boolean tryAcquireRetry();

    /** Retries it would allow now (exported as {@code chain_retry_budget_tokens}). */
    double tokens();

    /** Makes a throttle from the budget's settings. */
    @FunctionalInterface
    interface Factory {

        /**
         * @param ratio               share of requests that may be retried, 0..1
         * @param minRetriesPerSecond reserve of retries per second regardless of traffic
         * @param window              how far back requests and retries count
         * @param nanoClock           monotonic time source ({@code System::nanoTime}; tests move it)
         */
        RetryThrottle create(double ratio, double minRetriesPerSecond, Duration window, LongSupplier nanoClock);
    }

    /** The name of the project's own implementation, {@link RetryBudget}. */
    String REFERENCE = DefenceImplementation.REFERENCE;

    /**
     * The factory of {@code implementation}: {@value #REFERENCE}, or the name of a class that
     * implements this interface with a public constructor
     * {@code (double ratio, double minRetriesPerSecond, Duration window, LongSupplier nanoClock)}.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    static Factory factory(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return RetryBudget::new;
        }
        DefenceImplementation<RetryThrottle> loaded = DefenceImplementation.load("chain.retry.budget-implementation",
                implementation, RetryThrottle.class,
                "(double ratio, double minRetriesPerSecond, Duration window, LongSupplier nanoClock)",
                double.class, double.class, Duration.class, LongSupplier.class);
        return (ratio, reserve, window, clock) -> loaded.create(ratio, reserve, window, clock);
    }
}
