package dev.failurelab.fault.rule;

import java.time.Duration;

/**
 * A validated request for a fault, before it is installed. Parameters that do not apply to the
 * type are zero or null. Built by {@link FaultSpecParser}, which rejects bad input.
 *
 * @param type           the kind of fault
 * @param probability    chance, 0..1, that a matching request is affected
 * @param pathPrefix     only requests whose path starts with this (null: all)
 * @param method         only requests with this method (null: all)
 * @param status         error: the status to answer
 * @param mode           error: answered at the proxy or after forwarding
 * @param latencyMs      latency: added delay
 * @param jitterMs       latency: delay varies uniformly by ± this much
 * @param holdMs         blackhole: longest time a request is held before its connection is closed
 * @param bytesPerSecond bandwidth: response body rate
 * @param ttl            how long the fault lives
 */
public record FaultSpec(
        FaultType type,
        double probability,
        String pathPrefix,
        String method,
        int status,
        ErrorMode mode,
        long latencyMs,
        long jitterMs,
        long holdMs,
        long bytesPerSecond,
        Duration ttl) {
}
