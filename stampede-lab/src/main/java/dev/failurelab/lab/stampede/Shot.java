package dev.failurelab.lab.stampede;

import java.util.Map;

/**
 * One burst fired at the hot key's expiry, and what it cost.
 *
 * @param strategy         the recompute strategy in force
 * @param requests         requests in the burst
 * @param originQueries    queries PostgreSQL received for it (all replicas, background refreshes included)
 * @param errors           requests without a 2xx answer (errors, timeouts, connection errors)
 * @param p50Ms            median latency, from each request's due time
 * @param p99Ms            99th percentile latency
 * @param maxMs            slowest request
 * @param sentWithinMs     time from the first request's due time to the last send
 * @param recomputeMs      the longest recompute of the burst (its origin query, measured by the service)
 * @param waitP99Ms        99th percentile of how long callers waited for another's recompute (measured
 *                         in the services, bucket upper bound; NaN if nobody waited)
 * @param poolWaitMs       the time requests spent waiting for a pooled PostgreSQL connection, summed
 *                         (Hikari's acquire time, both replicas): near 0 unless the pool saturated
 * @param sources          answers by where their value came from (hit, miss, stale, waited, ...)
 * @param latencyMs        the latency distribution: p50, p90, p99, p99.9 and max, in ms
 * @param recomputesMs     when each recompute of the burst started, in ms after the expiry (the
 *                         replicas' recent recomputes; empty for a burst on a fresh key)
 */
public record Shot(String strategy, long requests, double originQueries, long errors, double p50Ms, double p99Ms,
        double maxMs, double sentWithinMs, double recomputeMs, double waitP99Ms, double poolWaitMs, Map<String, Long> sources, Map<String, Double> latencyMs, java.util.List<Long> recomputesMs) {
}
