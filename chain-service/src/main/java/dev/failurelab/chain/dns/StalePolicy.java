package dev.failurelab.chain.dns;

import dev.failurelab.chain.defence.DefenceImplementation;
import java.time.Duration;

/**
 * Serve-stale's decision (RFC 8767) under the background refresh, in a calling hop's resolver: what
 * a lookup does with a cached answer that has expired. The resolver keeps the clock, the cache and
 * the queries; a policy only answers, and must be thread-safe (it is asked from every request
 * thread). The project's is {@link RefreshingStalePolicy}; exercise 11.7 has the participant write one.
 */
public interface StalePolicy {

    /** What a lookup of an expired answer does. */
    enum Decision {
        /** Ask the DNS and wait for its answer: no stale answer (the lookup fails if the DNS does). */
        QUERY,
        /** Answer with the expired record now, and refresh it in the background. */
        STALE_AND_REFRESH,
        /** Answer with the expired record now, and leave the DNS alone. */
        STALE
    }

    /**
     * @param expiredFor         how long ago the answer expired
     * @param staleTtl           how long past its expiry an answer may still be served ({@code chain.dns.stale-ttl})
     * @param sinceFailedRefresh how long ago the last refresh of this name failed; null if none has
     *                           failed since the answer arrived
     * @param recheck            after a failed refresh, how long to leave the DNS alone
     *                           ({@code chain.dns.stale-recheck}, RFC 8767's 30 s)
     */
    Decision decide(Duration expiredFor, Duration staleTtl, Duration sinceFailedRefresh, Duration recheck);

    /**
     * The policy {@code implementation} names: {@code reference} (the project's), or a class with a
     * public no-argument constructor (the exercise's).
     *
     * @throws IllegalArgumentException naming {@code chain.dns.stale-policy} and what is missing
     */
    static StalePolicy of(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return new RefreshingStalePolicy();
        }
        return DefenceImplementation.load("chain.dns.stale-policy", implementation, StalePolicy.class, "()").create();
    }
}
