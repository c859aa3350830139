package dev.failurelab.exercise.dns;

import dev.failurelab.chain.dns.StalePolicy;
import java.time.Duration;

/**
 * Exercise 11.7: your serve-stale, in the edge's and the middle's resolvers. It compiles, and it
 * does not defend: an expired answer is never served, so every lookup after the cache TTL waits for
 * the DNS, and fails when the DNS is down. Decide, then run {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with what they measured and a hint): an
 * answer that expired less than {@code staleTtl} ago is served at once and refreshed in the
 * background; but if a refresh of it failed less than {@code recheck} ago, it is served and the DNS
 * is left alone; an answer expired for {@code staleTtl} or more is not served: ask the DNS. The
 * resolver keeps the clock and runs the queries; you only decide.
 *
 * <p>Where to look: RFC 8767, "Serving Stale Data to Improve DNS Resiliency" (sections 4 and 5).
 */
public final class MyStalePolicy implements StalePolicy {

    @Override
    public Decision decide(Duration expiredFor, Duration staleTtl, Duration sinceFailedRefresh, Duration recheck) {
        // TODO: serve stale (and refresh, unless a refresh failed within recheck) while expiredFor < staleTtl.
        return Decision.QUERY;
    }
}
