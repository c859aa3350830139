package dev.failurelab.contract;

import java.util.OptionalLong;

/**
 * A request's deadline, carried from hop to hop as gRPC carries its timeout: the header
 * {@value #HEADER} holds the instant (epoch milliseconds) by which the caller needs the answer.
 * A hop never works past it and gives each of its own attempts no more than what is left; it asks
 * the next hop to answer a {@link #margin margin} before its attempt times out, so that answer has
 * time to come back. So a lower hop's retries end, and its "don't retry" answer arrives, before
 * its caller gives up.
 *
 * <p>Thread-safe: stateless.
 */
public final class Deadlines {

    /** The header: epoch milliseconds. */
    public static final String HEADER = "X-Deadline";
    /** What a hop keeps back, at most, for an answer's way back to it. */
    public static final long MAX_MARGIN_MS = 150;
    /** What a hop keeps back for producing its own answer once its last attempt ended. */
    public static final long RESERVE_MS = 10;

    private Deadlines() {
    }

    /**
     * How long before an attempt's own timeout the next hop is asked to answer: a quarter of the
     * attempt, at most {@link #MAX_MARGIN_MS}.
     */
    public static long margin(long attemptMillis) {
        return Math.min(MAX_MARGIN_MS, attemptMillis / 4);
    }

    /** The deadline a header gives, or empty if there is none or it is not a number. */
    public static OptionalLong parse(String header) {
        if (header == null || header.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long epochMs = Long.parseLong(header.trim());
            return epochMs > 0 ? OptionalLong.of(epochMs) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
