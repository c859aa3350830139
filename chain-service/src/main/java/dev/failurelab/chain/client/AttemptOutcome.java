package dev.failurelab.chain.client;

/** How one outbound attempt to the next hop ended; {@link #tag()} is its meter tag value. */
public enum AttemptOutcome {
    SUCCESS("success"),
    /** The next hop answered 5xx. */
    SERVER_ERROR("server_error"),
    /** The next hop answered 4xx: not retryable. */
    CLIENT_ERROR("client_error"),
    /** No response within the client timeout. */
    TIMEOUT("timeout"),
    /** The connection could not be opened, or was closed without a response. */
    CONNECTION_ERROR("connection_error"),
    /** The next hop's name did not resolve ({@code UnknownHostException}): nothing was sent. */
    UNKNOWN_HOST("unknown_host"),
    /** Not sent: this hop's circuit breaker is open. */
    BREAKER_OPEN("breaker_open"),
    /** Not sent: this hop's adaptive throttle rejected it. */
    THROTTLED("throttled");

    private final String tag;

    AttemptOutcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** Whether this hop refused the attempt itself, without sending it. */
    public boolean isLocal() {
        return this == BREAKER_OPEN || this == THROTTLED;
    }

    /** Whether a failure of this kind is worth another attempt (never one refused here: that is the point). */
    public boolean isRetryable() {
        return this == SERVER_ERROR || this == TIMEOUT || this == CONNECTION_ERROR;
    }
}
