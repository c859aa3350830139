package dev.failurelab.chain.cache;

/**
 * How a read treats the hot key once it has read it from the store: one implementation per
 * {@link RecomputeStrategy}, each testable without Redis (against any {@link CacheStore}).
 *
 * <p>Implementations are thread-safe.
 */
interface ReadStrategy {

    /** The key is fresh: serve it (or, for XFetch, maybe recompute it early). */
    default StampedeGuard.Read fresh(String key, StampedeGuard.Loader loader, CacheEntry entry, long now) {
        return new StampedeGuard.Read(entry.value(), StampedeGuard.Source.HIT, entry);
    }

    /**
     * The key has expired ({@code stale} is its expired entry) or is absent ({@code stale} is null).
     *
     * @throws CacheStore.Unavailable   if the store fails where the strategy needs it (the guard falls back)
     * @throws CacheUnavailableException if no value can be given
     */
    StampedeGuard.Read expired(String key, StampedeGuard.Loader loader, CacheEntry stale);
}
