package dev.failurelab.chain.cache;

import dev.failurelab.chain.DaemonThreads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What every strategy does to recompute a key: run the loader (timed, with its measured δ kept in
 * the entry), store the result (plainly, or under the key's lock), and keep this JVM's last value
 * and recent recomputes.
 *
 * <p>Thread-safe: shared state is in concurrent maps; the recent recomputes are guarded by their deque.
 */
final class Recomputer {

    private static final int RECENT_RECOMPUTES = 64;

    private final CacheStore store;
    private volatile StampedeGuard.Settings settings;
    private final LongSupplier clockMillis;
    private final CacheListener listener;
    private final Map<String, CacheEntry> lastSeen = new ConcurrentHashMap<>();
    /** Renews the locks of recomputes in progress (Redisson's watchdog): one daemon thread. */
    private final java.util.concurrent.ScheduledExecutorService renewer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(
                    "cache-lock-renewal"));
    private final Deque<StampedeGuard.Recompute> recent = new ArrayDeque<>();

    Recomputer(CacheStore store, StampedeGuard.Settings settings, LongSupplier clockMillis, CacheListener listener) {
        this.store = store;
        this.settings = settings;
        this.clockMillis = clockMillis;
        this.listener = listener;
    }

    CacheStore store() {
        return store;
    }

    StampedeGuard.Settings settings() {
        return settings;
    }

    /** New TTLs and waits, from the next read on. */
    void settings(StampedeGuard.Settings next) {
        this.settings = next;
    }

    CacheListener listener() {
        return listener;
    }

    long now() {
        return clockMillis.getAsLong();
    }

    /** Recomputes and stores without the lock; a store that is down costs the write, not the value. */
    CacheEntry recomputeAndStore(String key, StampedeGuard.Loader loader, StampedeGuard.Trigger trigger,
            CacheEntry previous) {
        CacheEntry fresh = load(key, loader, trigger, previous);
        try {
            store.put(key, fresh, settings.redisTtl());
        } catch (CacheStore.Unavailable e) {
            listener.storeUnavailable();
        }
        return fresh;
    }

    /**
     * Recomputes holding {@code key}'s lock ({@code token}), stores the value and releases the lock in
     * one step; if the recompute fails, gives the lock back and wakes the waiters so one of them tries
     * the origin at once.
     */
    CacheEntry recomputeUnderLock(String key, String token, StampedeGuard.Loader loader, CacheEntry previous) {
        CacheEntry fresh;
        java.util.concurrent.Future<?> renewal = renewWhileLoading(key, token);
        try {
            fresh = load(key, loader, StampedeGuard.Trigger.MISS, previous);
        } catch (CacheUnavailableException e) {
            renewal.cancel(false);
            try {
                store.unlock(key, token);
                store.announce(key);
            } catch (CacheStore.Unavailable ignored) {
                // the lock's TTL releases it anyway
            }
            throw e;
        }
        renewal.cancel(false);
        try {
            if (!store.putAndUnlock(key, token, fresh, settings.redisTtl())) {
                listener.lockLost();
            }
        } catch (CacheStore.Unavailable e) {
            listener.storeUnavailable();
        }
        lastSeen.put(key, fresh);
        return fresh;
    }

    /**
     * While this JVM is alive and the recompute lasts, extends the lock every third of its TTL, up
     * to {@code maxHold} in all: a slow recompute stays the only one, and a dead holder's lock still
     * expires after one TTL.
     */
    private java.util.concurrent.Future<?> renewWhileLoading(String key, String token) {
        if (settings.maxHold().compareTo(settings.lockTtl()) <= 0) {
            return java.util.concurrent.CompletableFuture.completedFuture(null); // no renewal
        }
        long every = Math.max(1, settings.lockTtl().toMillis() / 3);
        long until = System.nanoTime() + settings.maxHold().minus(settings.lockTtl()).toNanos();
        return renewer.scheduleAtFixedRate(() -> {
            if (System.nanoTime() > until) {
                return; // past maxHold: the lock is left to expire
            }
            try {
                store.extendLock(key, token, settings.lockTtl());
            } catch (CacheStore.Unavailable e) {
                listener.storeUnavailable();
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Runs the loader, timed by trigger, and builds the entry with its measured δ. */
    CacheEntry load(String key, StampedeGuard.Loader loader, StampedeGuard.Trigger trigger, CacheEntry previous) {
        long start = System.nanoTime();
        long at = now();
        long previousExpiry = previous == null ? 0 : previous.expiresAt();
        try {
            String value = loader.load();
            long nanos = System.nanoTime() - start;
            listener.recomputed(trigger, true, nanos);
            long now = now();
            long delta = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
            remember(new StampedeGuard.Recompute(at, key, trigger, delta, true, previousExpiry));
            // computedAt is when the origin was read: of two recomputes, the later read is the newer value.
            return new CacheEntry(value, at, now + settings.ttl().toMillis(), delta);
        } catch (Exception e) {
            long nanos = System.nanoTime() - start;
            listener.recomputed(trigger, false, nanos);
            remember(new StampedeGuard.Recompute(at, key, trigger, TimeUnit.NANOSECONDS.toMillis(nanos), false,
                    previousExpiry));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new CacheUnavailableException(CacheUnavailableException.Reason.ORIGIN_UNAVAILABLE,
                    "recomputing " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Keeps the latest value seen for the store-down fallback; a hit on the same value writes nothing. */
    void keepLastSeen(String key, CacheEntry entry) {
        CacheEntry seen = lastSeen.get(key);
        if (seen == null || seen.computedAt() != entry.computedAt()) {
            lastSeen.put(key, entry);
        }
    }

    /** This JVM's last value of {@code key}, or null. */
    CacheEntry lastSeen(String key) {
        return lastSeen.get(key);
    }

    /** This JVM's latest recomputes, oldest first. */
    List<StampedeGuard.Recompute> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** Stops renewing locks (the guard is closing). */
    void close() {
        renewer.shutdownNow();
    }

    /** Forgets {@code key}'s last value and recomputes. */
    void forget(String key) {
        lastSeen.remove(key);
        synchronized (recent) {
            recent.removeIf(r -> r.key().equals(key));
        }
    }

    private void remember(StampedeGuard.Recompute recompute) {
        synchronized (recent) {
            if (recent.size() == RECENT_RECOMPUTES) {
                recent.removeFirst();
            }
            recent.addLast(recompute);
        }
    }
}
