package dev.failurelab.chain.cache;

import io.lettuce.core.RedisException;
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
 * {@link CacheStore} over Redis with Lettuce: entries as strings with a TTL, locks as
 * {@link RedisLock} ({@code key + ":lock"}), and stored keys announced on {@link #READY_CHANNEL},
 * published by the same Lua script that stores the value. Every {@link RedisException} becomes
 * {@link CacheStore.Unavailable}.
 *
 * <p>Thread-safe: Lettuce's connections are.
 */
public final class RedisCacheStore implements CacheStore {

    /** The channel a lock holder announces a stored key on. */
    public static final String READY_CHANNEL = "failurelab:cache:ready";
    private static final String LOCK_SUFFIX = ":lock";

    private final RedisCommands<String, String> redis;
    private final RedisLock lock;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param redis  commands on a connection shared by every caller
     * @param pubSub a connection this store subscribes on, to hear of stored keys
     */
    public RedisCacheStore(RedisCommands<String, String> redis, StatefulRedisPubSubConnection<String, String> pubSub) {
        this.redis = redis;
        this.lock = new RedisLock(redis);
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
        return call(() -> lock.remainingMillis(key + LOCK_SUFFIX));
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
        return call(() -> lock.storeAndRelease(key + LOCK_SUFFIX, token, key, entry.encode(), ttl, READY_CHANNEL,
                entry.computedAt()));
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
        return call(() -> lock.holder(key + LOCK_SUFFIX));
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
