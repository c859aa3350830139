package dev.failurelab.chain;

/**
 * The body of a failed chain call.
 *
 * @param role     the hop that answered with this error
 * @param error    what went wrong: {@code overloaded} (shed here) or {@code downstream_failed}
 * @param cause    detail: a rejection reason, or the last attempt's outcome
 * @param attempts attempts this hop made to the next hop
 */
public record ChainError(String role, String error, String cause, int attempts) {
}
