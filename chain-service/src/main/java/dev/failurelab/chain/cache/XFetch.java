package dev.failurelab.chain.cache;

import java.util.function.DoubleSupplier;

/**
 * {@code xfetch}: a caller recomputes a still-fresh value early when
 * {@code now − δ·β·ln(rand) ≥ expiry} (Vattani et al., VLDB 2015), δ being the measured recompute
 * time stored with the value; an expired key is recomputed as {@code none} does. Thread-safe.
 */
final class XFetch implements ReadStrategy {

    private final Recomputer recomputer;
    private final DoubleSupplier random;
    private final ReadStrategy onExpiry;

    /**
     * @param random   uniform in [0, 1)
     * @param onExpiry what an expired key gets
     */
    XFetch(Recomputer recomputer, DoubleSupplier random, ReadStrategy onExpiry) {
        this.recomputer = recomputer;
        this.random = random;
        this.onExpiry = onExpiry;
    }

    @Override
    public StampedeGuard.Read fresh(String key, StampedeGuard.Loader loader, CacheEntry entry, long now) {
        if (recomputeNow(entry, now, recomputer.settings().beta(), 1.0 - random.getAsDouble())) { // (0, 1]: ln finite
            try {
                CacheEntry early = recomputer.recomputeAndStore(key, loader, StampedeGuard.Trigger.EARLY, entry);
                return new StampedeGuard.Read(early.value(), StampedeGuard.Source.EARLY, entry);
            } catch (CacheUnavailableException e) {
                // still fresh: a failed early recompute costs nothing
            }
        }
        return new StampedeGuard.Read(entry.value(), StampedeGuard.Source.HIT, entry);
    }

    @Override
    public StampedeGuard.Read expired(String key, StampedeGuard.Loader loader, CacheEntry stale) {
        return onExpiry.expired(key, loader, stale);
    }

    /**
     * XFetch's test: recompute now if {@code now − δ·β·ln(u) ≥ expiry}, {@code u} uniform in (0, 1].
     * The expected head start is δ·β, so a value that takes longer to recompute is refreshed earlier.
     */
    static boolean recomputeNow(CacheEntry entry, long now, double beta, double uniform) {
        return now - entry.deltaMillis() * beta * Math.log(uniform) >= entry.expiresAt();
    }
}
