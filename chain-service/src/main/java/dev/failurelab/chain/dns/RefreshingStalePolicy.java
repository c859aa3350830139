package dev.failurelab.chain.dns;

import java.time.Duration;

/**
 * The project's serve-stale policy: an expired answer younger than the stale TTL is served at once
 * and refreshed in the background, unless a refresh failed within the recheck timer (then it is
 * served and the DNS left alone); past the stale TTL the lookup asks the DNS and waits.
 * Stateless, so thread-safe.
 */
public final class RefreshingStalePolicy implements StalePolicy {

    @Override
    public Decision decide(Duration expiredFor, Duration staleTtl, Duration sinceFailedRefresh, Duration recheck) {
        if (expiredFor.compareTo(staleTtl) >= 0) {
            return Decision.QUERY; // staleness is bounded: too old to serve
        }
        if (sinceFailedRefresh != null && sinceFailedRefresh.compareTo(recheck) < 0) {
            return Decision.STALE; // the DNS failed a moment ago: do not hammer it
        }
        return Decision.STALE_AND_REFRESH;
    }
}
