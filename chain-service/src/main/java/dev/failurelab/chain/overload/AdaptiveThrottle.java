package dev.failurelab.chain.overload;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Client-side adaptive throttling, as the Google SRE book describes it ("Handling Overload"):
 * each client counts, over the last {@code window}, the requests it was asked to send and the ones
 * the backend accepted, and rejects a new request locally with probability
 * {@code max(0, (requests - k × accepts) / (requests + 1))}. While the backend accepts everything,
 * nothing is rejected; once it accepts less than 1/k of what is asked, the client sheds the
 * excess itself, without a network call, and the backend sees about k × what it can take.
 *
 * <p>Requests rejected locally count as requests (not accepts), as in the book: a client that
 * keeps being refused keeps rejecting more. Use: {@link #allow()} before each attempt; if it
 * allows, {@link #onAnswer(boolean)} once the backend answered or failed.
 *
 * <p>Concurrency: thread-safe; each operation takes a short lock.
 */
public final class AdaptiveThrottle implements ClientThrottle {

    private static final int REQUESTS = 0;
    private static final int ACCEPTS = 1;

    private final double k;
    private final SlidingCounts counts;
    private final DoubleSupplier random;

    /**
     * @param k         the multiplier: accepts × k is what may be sent (the book's 2; lower is
     *                  more aggressive)
     * @param window    how far back requests and accepts count
     * @param nanoClock monotonic time source
     * @param random    uniform in [0, 1)
     */
    public AdaptiveThrottle(double k, Duration window, LongSupplier nanoClock, DoubleSupplier random) {
        if (!(k >= 1)) {
            throw new IllegalArgumentException("k must be at least 1");
        }
        this.k = k;
        this.counts = new SlidingCounts(2, window, nanoClock);
        this.random = random;
    }

    @Override
    public synchronized boolean allow() {
        double p = probability();
        counts.add(REQUESTS);
        return !(random.getAsDouble() < p);
    }

    @Override
    public synchronized void onAnswer(boolean accepted) {
        if (accepted) {
            counts.add(ACCEPTS);
        }
    }

    @Override
    public synchronized double probability() {
        long requests = counts.total(REQUESTS);
        long accepts = counts.total(ACCEPTS);
        return Math.max(0, (requests - k * accepts) / (requests + 1));
    }
}
