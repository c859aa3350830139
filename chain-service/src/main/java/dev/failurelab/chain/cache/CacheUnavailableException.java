package dev.failurelab.chain.cache;

/** A cache read that could give no value: the origin failed, or a wait for another's recompute ran out. */
public final class CacheUnavailableException extends RuntimeException {

    /** Why no value could be given; the tag is the HTTP error code. */
    public enum Reason {
        ORIGIN_UNAVAILABLE("origin_unavailable"),
        WAIT_TIMEOUT("cache_wait_timeout");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final Reason reason;

    public CacheUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** How a hot-key waiter fails: the leader's own failure as it was, or the wait's bound passed. */
    static final dev.failurelab.chain.SingleFlight.Failures WAITERS = new dev.failurelab.chain.SingleFlight.Failures() {
        @Override
        public RuntimeException failed(String key, Throwable cause) {
            if (cause instanceof CacheUnavailableException unavailable) {
                return unavailable;
            }
            if (cause instanceof CacheStore.Unavailable storeDown) {
                return storeDown;
            }
            return new CacheUnavailableException(Reason.ORIGIN_UNAVAILABLE, "the recompute of " + key + " failed: "
                    + cause, cause);
        }

        @Override
        public RuntimeException waitedTooLong(String key, java.time.Duration bound, Exception cause) {
            return new CacheUnavailableException(Reason.WAIT_TIMEOUT, cause instanceof InterruptedException
                    ? "interrupted while waiting for " + key : "waited " + bound.toMillis() + " ms for the recompute of "
                    + key, cause);
        }
    };
}
