package dev.failurelab.chain.cache;

/**
 * What the stampede guard reports as it works (concurrency-limits style: the mechanism reports,
 * {@link CacheMeters} turns it into Micrometer meters). Implementations are thread-safe and fast.
 */
public interface CacheListener {

    /** A recompute from the origin ended, after {@code nanos}. */
    void recomputed(StampedeGuard.Trigger trigger, boolean succeeded, long nanos);

    /** An attempt to take a key's recompute lock. */
    void lockAttempt(boolean acquired);

    /** A recompute whose lock expired before it could store (nothing was written). */
    void lockLost();

    /** A caller waited {@code nanos} for another's recompute: for its value, or until it gave up. */
    void waited(boolean gotValue, long nanos);

    /** A read or write found the store unavailable. */
    void storeUnavailable();

    /** Reports nothing (tests of one mechanism). */
    CacheListener NONE = new CacheListener() {
        @Override
        public void recomputed(StampedeGuard.Trigger trigger, boolean succeeded, long nanos) {
        }

        @Override
        public void lockAttempt(boolean acquired) {
        }

        @Override
        public void lockLost() {
        }

        @Override
        public void waited(boolean gotValue, long nanos) {
        }

        @Override
        public void storeUnavailable() {
        }
    };
}
