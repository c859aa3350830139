package dev.failurelab.chain.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link CacheStore} in memory, shared by guards that play replicas: the strategies' tests run
 * without Redis. Entries and locks expire on the wall clock; {@link #down} makes every operation
 * fail as a Redis outage would. Thread-safe: every operation holds the store's monitor.
 */
final class InMemoryCacheStore implements CacheStore {

    private record Timed(String value, long expiresAt) {
    }

    private final Map<String, Timed> entries = new HashMap<>();
    private final Map<String, Timed> locks = new HashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    volatile boolean down;

    private void check() {
        if (down) {
            throw new CacheStore.Unavailable("store down (test)", null);
        }
    }

    private static Timed live(Map<String, Timed> map, String key) {
        Timed timed = map.get(key);
        if (timed != null && timed.expiresAt() <= System.currentTimeMillis()) {
            map.remove(key);
            return null;
        }
        return timed;
    }

    @Override
    public synchronized CacheEntry get(String key) {
        check();
        Timed timed = live(entries, key);
        return timed == null ? null : CacheEntry.decode(timed.value());
    }

    @Override
    public synchronized void put(String key, CacheEntry entry, Duration ttl) {
        check();
        entries.put(key, new Timed(entry.encode(), System.currentTimeMillis() + ttl.toMillis()));
    }

    @Override
    public synchronized Optional<String> tryLock(String key, Duration ttl) {
        check();
        if (live(locks, key) != null) {
            return Optional.empty();
        }
        String token = UUID.randomUUID().toString();
        locks.put(key, new Timed(token, System.currentTimeMillis() + ttl.toMillis()));
        return Optional.of(token);
    }

    @Override
    public synchronized long lockRemainingMillis(String key) {
        check();
        Timed lock = live(locks, key);
        return lock == null ? -2 : lock.expiresAt() - System.currentTimeMillis();
    }

    @Override
    public synchronized boolean extendLock(String key, String token, Duration ttl) {
        check();
        Timed lock = live(locks, key);
        if (lock == null || !lock.value().equals(token)) {
            return false;
        }
        locks.put(key, new Timed(token, System.currentTimeMillis() + ttl.toMillis()));
        return true;
    }

    @Override
    public synchronized void unlock(String key, String token) {
        check();
        Timed lock = live(locks, key);
        if (lock != null && lock.value().equals(token)) {
            locks.remove(key);
        }
    }

    @Override
    public boolean putAndUnlock(String key, String token, CacheEntry entry, Duration ttl) {
        boolean held;
        synchronized (this) {
            check();
            Timed lock = live(locks, key);
            held = lock != null && lock.value().equals(token);
            Timed current = live(entries, key);
            CacheEntry stored = current == null ? null : CacheEntry.decode(current.value());
            if (!held && stored != null && stored.computedAt() >= entry.computedAt()) {
                return false; // lost the lock, and the stored value is newer
            }
            entries.put(key, new Timed(entry.encode(), System.currentTimeMillis() + ttl.toMillis()));
            if (held) {
                locks.remove(key);
            }
        }
        announce(key);
        return held;
    }

    @Override
    public void announce(String key) {
        check();
        listeners.forEach(listener -> listener.accept(key));
    }

    @Override
    public void onStored(Consumer<String> listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized Optional<String> lockHolder(String key) {
        check();
        Timed lock = live(locks, key);
        return lock == null ? Optional.empty() : Optional.of(lock.value());
    }

    @Override
    public synchronized void delete(String key) {
        check();
        entries.remove(key);
        locks.remove(key);
    }
}
