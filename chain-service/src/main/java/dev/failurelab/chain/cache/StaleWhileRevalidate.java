package dev.failurelab.chain.cache;

import dev.failurelab.chain.DaemonThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code swr} and {@code lock+swr}: an expired value still in the store is served while one caller
 * refreshes it in the background (claimed with the key's lock, so one across replicas); with
 * nothing stale to serve, the read goes to {@code onMiss} ({@code none}'s recompute, or the lock).
 *
 * <p>Concurrency: thread-safe; at most one refresh per key per JVM, on a small executor shared by
 * every instance ({@link Refresher}).
 */
final class StaleWhileRevalidate implements ReadStrategy {

    private final Recomputer recomputer;
    private final Refresher refresher;
    private final ReadStrategy onMiss;

    StaleWhileRevalidate(Recomputer recomputer, Refresher refresher, ReadStrategy onMiss) {
        this.recomputer = recomputer;
        this.refresher = refresher;
        this.onMiss = onMiss;
    }

    @Override
    public StampedeGuard.Read expired(String key, StampedeGuard.Loader loader, CacheEntry stale) {
        if (stale == null) {
            return onMiss.expired(key, loader, null);
        }
        refresher.refresh(key, () -> refresh(key, loader, stale));
        return new StampedeGuard.Read(stale.value(), StampedeGuard.Source.STALE, stale);
    }

    private void refresh(String key, StampedeGuard.Loader loader, CacheEntry stale) {
        CacheStore store = recomputer.store();
        try {
            String token = store.tryLock(key, recomputer.settings().lockTtl()).orElse(null);
            recomputer.listener().lockAttempt(token != null);
            if (token == null) {
                return; // another caller (or replica) is refreshing it
            }
            CacheEntry current = store.get(key);
            if (current != null && current.isFresh(recomputer.now())) {
                store.unlock(key, token); // refreshed meanwhile
                return;
            }
            recomputer.recomputeUnderLock(key, token, loader, stale);
        } catch (CacheStore.Unavailable e) {
            recomputer.listener().storeUnavailable();
        } catch (CacheUnavailableException e) {
            // the stale value keeps being served; the next stale read tries again
        }
    }

    /** Runs background refreshes, at most one per key at a time. Thread-safe. */
    static final class Refresher implements AutoCloseable {

        private final ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("cache-refresh"));
        private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

        /** Runs {@code refresh} in the background unless one for {@code key} is running. */
        void refresh(String key, Runnable refresh) {
            if (!refreshing.add(key)) {
                return;
            }
            try {
                executor.execute(() -> {
                    try {
                        refresh.run();
                    } finally {
                        refreshing.remove(key);
                    }
                });
            } catch (RejectedExecutionException e) {
                refreshing.remove(key);
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
