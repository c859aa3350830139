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
}
