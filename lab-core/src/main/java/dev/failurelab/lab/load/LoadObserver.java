package dev.failurelab.lab.load;

/**
 * Told of every request an open-loop run sends and every answer it gets, as they happen.
 * Called from the sending thread and from HTTP client threads: implementations must be
 * thread-safe and quick.
 */
public interface LoadObserver {

    /** How a request ended. */
    enum Outcome {
        SUCCESS, FAILED, TIMEOUT, CONNECTION_ERROR
    }

    /** A request was sent; {@code intendedNanos} is its scheduled send time ({@link System#nanoTime()}). */
    default void onSent(long intendedNanos) {
    }

    /**
     * A request ended.
     *
     * @param intendedNanos  when it was scheduled to be sent
     * @param completedNanos when it ended
     * @param status         HTTP status, or 0 when there was no answer
     * @param outcome        how it ended
     */
    void onCompleted(long intendedNanos, long completedNanos, int status, Outcome outcome);

    /** Observes nothing. */
    LoadObserver NONE = (intended, completed, status, outcome) -> {
    };
}
