package dev.failurelab.chain.cache;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link CacheStore} over Redis with Lettuce: entries as strings with a TTL, locks as a
 * {@link RecomputeLock} ({@code key + ":lock"}; {@link RedisLock} unless a participant's), and
 * stored keys announced on {@link #READY_CHANNEL}, published by the same Lua script that stores the
 * value. Every {@link RedisException} becomes {@link CacheStore.Unavailable}.
 *
 * <p>Storing under the lock: with {@link RedisLock}, one script stores the value, releases the
 * lock and announces the key ({@link #STORE_AND_RELEASE}). With another lock, which this store
 * cannot look inside, the same happens in two steps: store-if-newer and announce
 * ({@link #STORE_IF_NEWER}), then the lock's own release; a waiter that wakes between the two finds
 * the value fresh.
 *
 * <p>Thread-safe: Lettuce's connections are.
 */
public final class RedisCacheStore implements CacheStore {

    /** The channel a lock holder announces a stored key on. */
    public static final String READY_CHANNEL = "failurelab:cache:ready";
    private static final String LOCK_SUFFIX = ":lock";

    /**
     * KEYS[2] = the entry's key; ARGV[2] = the value, ARGV[3] = its TTL (ms), ARGV[4] = the ready
     * channel, ARGV[5] = its computedAt. Stores and announces the value only if it is newer than the
     * stored one's (computedAt, the entry's second header field, decides; 2), so a late holder never
     * overwrites a newer holder's value, and a finished recompute is not thrown away (0: older).
     */
    static final String STORE_IF_NEWER = """
            local current = redis.call('get', KEYS[2])
            local storedAt = -1
            if current then
              storedAt = tonumber(string.match(current, '^%S+ (%d+)')) or -1
            end
            if tonumber(ARGV[5]) > storedAt then
              redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
              redis.call('publish', ARGV[4], KEYS[2])
              return 2
            end
            return 0""";

    /**
     * KEYS[1] = the lock, ARGV[1] = the holder's token, the rest as {@link #STORE_IF_NEWER}. If the
     * token still holds the lock, stores the value, releases the lock and announces the key (1);
     * if it lost the lock, does what {@link #STORE_IF_NEWER} does.
     */
    static final String STORE_AND_RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
              redis.call('del', KEYS[1])
              redis.call('publish', ARGV[4], KEYS[2])
              return 1
            end
            """ + STORE_IF_NEWER;

    private final RedisCommands<String, String> redis;
    private final RecomputeLock lock;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param redis  commands on a connection shared by every caller
     * @param pubSub a connection this store subscribes on, to hear of stored keys
     * @param lock   the per-key lock, over {@code redis}
     */
    public RedisCacheStore(RedisCommands<String, String> redis, StatefulRedisPubSubConnection<String, String> pubSub,
            RecomputeLock lock) {
        this.redis = redis;
        this.lock = lock;
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String key) {
                listeners.forEach(listener -> listener.accept(key));
            }
        });
        pubSub.sync().subscribe(READY_CHANNEL);
    }

    @Override
    public CacheEntry get(String key) {
        return call(() -> CacheEntry.decode(redis.get(key)));
    }

    @Override
    public void put(String key, CacheEntry entry, Duration ttl) {
        call(() -> redis.set(key, entry.encode(), SetArgs.Builder.px(ttl.toMillis())));
    }

    @Override
    public Optional<String> tryLock(String key, Duration ttl) {
        return call(() -> lock.tryAcquire(key + LOCK_SUFFIX, ttl));
    }

    @Override
    public long lockRemainingMillis(String key) {
        return call(() -> {
            Long pttl = redis.pttl(key + LOCK_SUFFIX);
            return pttl == null ? -2 : pttl;
        });
    }

    @Override
    public boolean extendLock(String key, String token, Duration ttl) {
        return call(() -> lock.extend(key + LOCK_SUFFIX, token, ttl));
    }

    @Override
    public void unlock(String key, String token) {
        call(() -> lock.release(key + LOCK_SUFFIX, token));
    }

    @Override
    public boolean putAndUnlock(String key, String token, CacheEntry entry, Duration ttl) {
        String[] keys = {key + LOCK_SUFFIX, key};
        String[] arguments = {token, entry.encode(), Long.toString(ttl.toMillis()), READY_CHANNEL,
                Long.toString(entry.computedAt())};
        if (lock instanceof RedisLock) {
            return call(() -> Long.valueOf(1).equals(redis.eval(STORE_AND_RELEASE, ScriptOutputType.INTEGER, keys,
                    arguments)));
        }
        call(() -> redis.eval(STORE_IF_NEWER, ScriptOutputType.INTEGER, keys, arguments));
        return call(() -> lock.release(key + LOCK_SUFFIX, token));
    }

    @Override
    public void announce(String key) {
        call(() -> redis.publish(READY_CHANNEL, key));
    }

    @Override
    public void onStored(Consumer<String> listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<String> lockHolder(String key) {
        return call(() -> Optional.ofNullable(redis.get(key + LOCK_SUFFIX)));
    }

    @Override
    public void delete(String key) {
        call(() -> redis.del(key, key + LOCK_SUFFIX));
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new CacheStore.Unavailable("Redis: " + e.getMessage(), e);
        }
    }
}
