package dev.failurelab.chain.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the hot key's entries and their recompute locks live, shared by every replica: the port the
 * stampede strategies are written against, so each is testable without Redis. {@link RedisCacheStore}
 * is the adapter over Lettuce.
 *
 * <p>Implementations are thread-safe, each operation atomic; any operation may throw
 * {@link Unavailable} when the store cannot be reached.
 */
public interface CacheStore {

    /** The store cannot be reached (Redis down, a command timed out). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The entry under {@code key}, or null. */
    CacheEntry get(String key);

    /** Stores {@code entry} under {@code key}, kept for {@code ttl}. */
    void put(String key, CacheEntry entry, Duration ttl);

    /** Takes {@code key}'s recompute lock if nobody holds it; the token proves ownership later. */
    Optional<String> tryLock(String key, Duration ttl);

    /** Milliseconds until {@code key}'s lock expires: -2 if nobody holds it, -1 if it has no TTL. */
    long lockRemainingMillis(String key);

    /** Extends {@code key}'s lock to {@code ttl} from now if {@code token} still holds it; false if lost. */
    boolean extendLock(String key, String token, Duration ttl);

    /** Releases {@code key}'s lock if {@code token} still holds it. */
    void unlock(String key, String token);

    /**
     * Stores {@code entry}, releases the lock and announces {@code key} to every {@link #onStored}
     * listener of every replica, atomically, if {@code token} still holds the lock. If it lost the
     * lock, stores and announces only if {@code entry} is newer than the stored one (by computedAt),
     * so a finished recompute is kept but never overwrites a newer value.
     *
     * @return false if the lock was lost (expired or taken)
     */
    boolean putAndUnlock(String key, String token, CacheEntry entry, Duration ttl);

    /** Announces {@code key} as if stored (wakes the waiters after a failed recompute). */
    void announce(String key);

    /** Calls {@code listener} with each key a replica stored under its lock (or announced). */
    void onStored(Consumer<String> listener);

    /** The token holding {@code key}'s lock, if any. */
    Optional<String> lockHolder(String key);

    /** Removes {@code key} and its lock. */
    void delete(String key);
}
