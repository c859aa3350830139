package dev.failurelab.chain.cache;

import dev.failurelab.chain.SingleFlight;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code lock}: one caller across all replicas takes the key's lock and recomputes; the others wait
 * for its value.
 *
 * <p>How waiters wait: in each JVM one caller per key (a {@link SingleFlight}) deals with the store;
 * the others wait on it. That caller, if another replica holds the lock, waits to hear the key
 * stored ({@link CacheStore#onStored}) — or, if the holder dies, until the lock's TTL runs out,
 * and then tries to take the lock itself. Nobody polls the store in a loop, and nobody waits past
 * {@code waitTimeout}.
 *
 * <p>Concurrency: thread-safe; the futures of keys awaited are in a concurrent map.
 */
final class LockOnMiss implements ReadStrategy {

    private final Recomputer recomputer;
    private final SingleFlight<StampedeGuard.Read> flight;
    private final Map<String, CompletableFuture<Void>> stored = new ConcurrentHashMap<>();

    LockOnMiss(Recomputer recomputer) {
        this.recomputer = recomputer;
        StampedeGuard.Settings settings = recomputer.settings();
        this.flight = new SingleFlight<>(settings.waitTimeout().plus(settings.lockTtl()),
                CacheUnavailableException.WAITERS);
        recomputer.store().onStored(key -> {
            CompletableFuture<Void> waiting = stored.remove(key);
            if (waiting != null) {
                waiting.complete(null);
            }
        });
    }

    @Override
    public StampedeGuard.Read expired(String key, StampedeGuard.Loader loader, CacheEntry stale) {
        long started = System.nanoTime();
        SingleFlight.Result<StampedeGuard.Read> result = flight.run(key, () -> takeLockOrWait(key, loader, stale));
        StampedeGuard.Read read = result.value();
        if (!result.led()) {
            read = new StampedeGuard.Read(read.value(), StampedeGuard.Source.WAITED, read.entry());
        }
        if (read.source() == StampedeGuard.Source.WAITED) {
            recomputer.listener().waited(true, System.nanoTime() - started);
        }
        return read;
    }

    /** The local single-flight's leader: take the lock and recompute, or wait for whoever holds it. */
    private StampedeGuard.Read takeLockOrWait(String key, StampedeGuard.Loader loader, CacheEntry previous) {
        CacheStore store = recomputer.store();
        StampedeGuard.Settings settings = recomputer.settings();
        long started = System.nanoTime();
        long deadline = started + settings.waitTimeout().toNanos();
        boolean waited = false;
        while (true) {
            // Registered before reading, so a value stored after the read is always heard of.
            CompletableFuture<Void> heard = stored.computeIfAbsent(key, k -> new CompletableFuture<>());
            CacheEntry current = store.get(key);
            if (current != null && current.isFresh(recomputer.now())) {
                // a WAITED read's wait is recorded by expired(), for the leader and its followers alike
                return new StampedeGuard.Read(current.value(),
                        waited ? StampedeGuard.Source.WAITED : StampedeGuard.Source.HIT, current);
            }
            String token = store.tryLock(key, settings.lockTtl()).orElse(null);
            if (token != null) {
                // Read again under the lock: another replica may have stored the value and released
                // the lock between our read and our acquire (a second recompute).
                CacheEntry recheck = store.get(key);
                if (recheck != null && recheck.isFresh(recomputer.now())) {
                    store.unlock(key, token);
                    return new StampedeGuard.Read(recheck.value(),
                            waited ? StampedeGuard.Source.WAITED : StampedeGuard.Source.HIT, recheck);
                }
                recomputer.listener().lockAttempt(true);
                if (waited) {
                    recomputer.listener().waited(true, System.nanoTime() - started);
                }
                CacheEntry fresh = recomputer.recomputeUnderLock(key, token, loader, previous);
                return new StampedeGuard.Read(fresh.value(), StampedeGuard.Source.MISS, fresh);
            }
            recomputer.listener().lockAttempt(false);
            long lockMillisLeft = store.lockRemainingMillis(key);
            waited = true;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                recomputer.listener().waited(false, System.nanoTime() - started);
                throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                        "waited " + settings.waitTimeout().toMillis() + " ms for another caller's recompute of " + key,
                        null);
            }
            if (lockMillisLeft == -2) {
                continue; // released or expired between the two commands: try to take it now
            }
            // -1 (a lock with no TTL, not ours) waits out the deadline rather than spinning.
            long waitNanos = lockMillisLeft < 0 ? left : Math.min(left, TimeUnit.MILLISECONDS.toNanos(lockMillisLeft + 5));
            try {
                heard.get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException expectedWhenTheHolderDies) {
                // the lock has expired by now (or the deadline is near): read and try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                        "interrupted while waiting for " + key, e);
            }
        }
    }
}
