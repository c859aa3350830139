package dev.failurelab.chain.cache;

import dev.failurelab.chain.SingleFlight;
import java.time.Duration;

/**
 * The store-down decorator around every strategy: reads the key and hands it to the strategy; if
 * the store cannot be reached (there or inside the strategy), the read falls back to this JVM's
 * last value while it is fresh, else to one recompute per key per JVM at a time, so the origin
 * sees at most one recompute per replica. Lettuce reconnects by itself and reads go back to the
 * store when it returns.
 *
 * <p>Thread-safe.
 */
final class RedisDownFallback {

    private final Recomputer recomputer;
    private final SingleFlight<CacheEntry> flight;

    RedisDownFallback(Recomputer recomputer, Duration waitBound) {
        this.recomputer = recomputer;
        this.flight = new SingleFlight<>(waitBound, CacheUnavailableException.WAITERS);
    }

    /** Reads {@code key} as {@code strategy} says, falling back when the store is down. */
    StampedeGuard.Read read(String key, StampedeGuard.Loader loader, ReadStrategy strategy) {
        try {
            CacheEntry entry = recomputer.store().get(key);
            long now = recomputer.now();
            if (entry != null && entry.isFresh(now)) {
                recomputer.keepLastSeen(key, entry);
                return strategy.fresh(key, loader, entry, now);
            }
            return strategy.expired(key, loader, entry);
        } catch (CacheStore.Unavailable e) {
            return fallback(key, loader);
        }
    }

    private StampedeGuard.Read fallback(String key, StampedeGuard.Loader loader) {
        recomputer.listener().storeUnavailable();
        CacheEntry last = recomputer.lastSeen(key);
        if (last != null && last.isFresh(recomputer.now())) {
            return new StampedeGuard.Read(last.value(), StampedeGuard.Source.FALLBACK, last);
        }
        CacheEntry fresh = flight.run(key, () -> {
            CacheEntry loaded = recomputer.load(key, loader, StampedeGuard.Trigger.FALLBACK, last);
            recomputer.keepLastSeen(key, loaded);
            return loaded;
        }).value();
        return new StampedeGuard.Read(fresh.value(), StampedeGuard.Source.FALLBACK, fresh);
    }
}
