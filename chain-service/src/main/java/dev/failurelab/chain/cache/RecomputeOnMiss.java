package dev.failurelab.chain.cache;

/** {@code none}: every caller that finds the key expired recomputes it (the stampede). Thread-safe. */
final class RecomputeOnMiss implements ReadStrategy {

    private final Recomputer recomputer;

    RecomputeOnMiss(Recomputer recomputer) {
        this.recomputer = recomputer;
    }

    @Override
    public StampedeGuard.Read expired(String key, StampedeGuard.Loader loader, CacheEntry stale) {
        CacheEntry fresh = recomputer.recomputeAndStore(key, loader, StampedeGuard.Trigger.MISS, stale);
        return new StampedeGuard.Read(fresh.value(), StampedeGuard.Source.MISS, fresh);
    }
}
