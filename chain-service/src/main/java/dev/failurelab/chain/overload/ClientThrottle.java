package dev.failurelab.chain.overload;

import dev.failurelab.chain.defence.DefenceImplementation;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * What client-side adaptive throttling does for {@link OutboundGuard}: asked before every attempt,
 * told of the backend's answer to each one it let through. {@link AdaptiveThrottle} is the
 * project's; the cascade exercise has participants write their own ({@code exercises/}), which a
 * hop runs when {@code chain.throttle.implementation} names its class.
 *
 * <p>The contract (the Google SRE book, "Handling Overload"): over the last {@code window}, count
 * the requests asked for (rejected ones included) and the ones the backend accepted; reject a new
 * one locally with probability {@code max(0, (requests - k × accepts) / (requests + 1))}, drawing
 * from {@code random}; forget what is older than the window; hold under concurrent callers.
 * Implementations must be thread-safe.
 */
public interface ClientThrottle {

    /** Counts a request and decides whether it may be sent (false: rejected locally). */
    boolean allow();

    /** The backend's answer to a request {@link #allow()} let through: accepted, or refused / failed. */
    void onAnswer(boolean accepted);

    /** The probability that the next request is rejected locally (the dashboards' "throttle probability"). */
    double probability();

    /** Makes a throttle from its settings. */
    @FunctionalInterface
    interface Factory {

        /**
         * @param k         up to k × accepts are sent
         * @param window    how far back requests and accepts count
         * @param nanoClock monotonic time source ({@code System::nanoTime}; tests move it)
         * @param random    uniform in [0, 1)
         */
        ClientThrottle create(double k, Duration window, LongSupplier nanoClock, DoubleSupplier random);
    }

    /** The name of the project's own implementation, {@link AdaptiveThrottle}. */
    String REFERENCE = DefenceImplementation.REFERENCE;

    /**
     * The factory of {@code implementation}: {@value #REFERENCE}, or the name of a class that
     * implements this interface with a public constructor
     * {@code (double k, Duration window, LongSupplier nanoClock, DoubleSupplier random)}.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    static Factory factory(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return AdaptiveThrottle::new;
        }
        DefenceImplementation<ClientThrottle> loaded = DefenceImplementation.load("chain.throttle.implementation",
                implementation, ClientThrottle.class,
                "(double k, Duration window, LongSupplier nanoClock, DoubleSupplier random)",
                double.class, Duration.class, LongSupplier.class, DoubleSupplier.class);
        return (k, window, clock, random) -> loaded.create(k, window, clock, random);
    }
}
