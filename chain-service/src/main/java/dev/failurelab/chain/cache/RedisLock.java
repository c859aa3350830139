package dev.failurelab.chain.cache;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The project's {@link RecomputeLock}: {@code SET lock token NX PX ttl} to take it, and
 * compare-and-delete in Lua to give it back, so a holder whose lock expired (and was taken by
 * another) never deletes the new holder's lock. The TTL bounds how long a dead holder blocks the
 * others. {@link RedisCacheStore} stores a value and releases this lock in one script.
 *
 * <p>Thread-safe: every operation is one atomic Redis command or script.
 */
public final class RedisLock implements RecomputeLock {

    /** Deletes the lock only if it still holds the caller's token. */
    static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            end
            return 0""";

    /** Extends the lock's TTL only if the caller still holds it. */
    static final String EXTEND = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('pexpire', KEYS[1], ARGV[2])
            end
            return 0""";

    private final RedisCommands<String, String> redis;

    public RedisLock(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    @Override
    public Optional<String> tryAcquire(String lockKey, Duration ttl) {
        String token = UUID.randomUUID().toString();
        String reply = redis.set(lockKey, token, SetArgs.Builder.nx().px(ttl.toMillis()));
        return "OK".equals(reply) ? Optional.of(token) : Optional.empty();
    }

    @Override
    public boolean release(String lockKey, String token) {
        Long deleted = redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lockKey}, token);
        return deleted != null && deleted == 1L;
    }

    @Override
    public boolean extend(String lockKey, String token, Duration ttl) {
        Long extended = redis.eval(EXTEND, ScriptOutputType.INTEGER, new String[] {lockKey}, token,
                Long.toString(ttl.toMillis()));
        return extended != null && extended == 1L;
    }
}
