package dev.failurelab.lab.stampede;

import java.util.List;

/**
 * One strategy's run: the burst on a warm key (the cache-hit baseline), the burst at the expiry,
 * and for XFetch what steady traffic through an expiry did.
 *
 * @param strategy the recompute strategy
 * @param hit      the burst while the key was fresh
 * @param expiry   the burst at the expiry instant
 * @param steady   XFetch only (else null): recomputes under steady reads through an expiry
 */
public record StrategyResult(String strategy, Shot hit, Shot expiry, Steady steady) {

    /**
     * Steady reads through an expiry (XFetch's case).
     *
     * @param rate             reads per second
     * @param seconds          how long
     * @param earlyRecomputes  recomputes before the expiry
     * @param misses           reads that found the key expired (and recomputed)
     * @param leadMs           for each early recompute, how long before the expiry it ran
     */
    public record Steady(double rate, long seconds, long earlyRecomputes, long misses, List<Long> leadMs) {
    }
}
