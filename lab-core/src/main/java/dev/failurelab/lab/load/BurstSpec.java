package dev.failurelab.lab.load;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A burst: {@code count} GET requests that reach their servers at one instant, spread over
 * {@code targets} (request i goes to {@code targets[i % n]}).
 *
 * @param targets URLs (http only: the burst writes HTTP/1.1 itself, see
 *                {@link OpenLoopLoadGenerator#burst})
 * @param count   requests in the burst
 * @param fireAt  when the requests complete at the servers (wall clock), or null for as soon as
 *                every connection is ready
 * @param timeout a request still unanswered this long after the instant counts as a timeout
 */
public record BurstSpec(List<URI> targets, int count, Instant fireAt, Duration timeout) {

    /** The most requests one burst may hold open. */
    public static final int MAX_COUNT = 20_000;

    public BurstSpec {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("targets must name at least one URL");
        }
        for (URI target : targets) {
            if (target == null || !"http".equals(target.getScheme()) || target.getHost() == null) {
                throw new IllegalArgumentException("target must be an http URL with a host: " + target);
            }
        }
        targets = List.copyOf(targets);
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT);
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** A burst fired as soon as it is ready. */
    public static BurstSpec now(List<URI> targets, int count, Duration timeout) {
        return new BurstSpec(targets, count, null, timeout);
    }

    public BurstSpec at(Instant fireAt) {
        return new BurstSpec(targets, count, fireAt, timeout);
    }
}
