package dev.failurelab.chain.cache;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A per-key lock in Redis: {@code SET lock token NX PX ttl} to take it, and compare-and-delete in
 * Lua to give it back, so a holder whose lock expired (and was taken by another) never deletes the
 * new holder's lock. The TTL bounds how long a dead holder blocks the others.
 *
 * <p>Thread-safe: every operation is one atomic Redis command or script.
 */
public final class RedisLock {

    /** Deletes the lock only if it still holds the caller's token. */
    static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            end
            return 0""";

    /**
     * Writes the value and releases the lock if the caller still holds it (1), then announces the
     * key on the ready channel. A holder whose lock was lost writes only if its value is newer than
     * the one stored (2; computedAt, the entry's second header field, decides), so a late holder
     * never overwrites a newer holder's value, and a finished recompute is not thrown away (0: older).
     */
    static final String STORE_AND_RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
              redis.call('del', KEYS[1])
              redis.call('publish', ARGV[4], KEYS[2])
              return 1
            end
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

    /** Takes the lock if nobody holds it; the token proves ownership later. */
    public Optional<String> tryAcquire(String lockKey, Duration ttl) {
        String token = UUID.randomUUID().toString();
        String reply = redis.set(lockKey, token, SetArgs.Builder.nx().px(ttl.toMillis()));
        return "OK".equals(reply) ? Optional.of(token) : Optional.empty();
    }

    /** Releases the lock if {@code token} still holds it; false if it expired or another holds it. */
    public boolean release(String lockKey, String token) {
        Long deleted = redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lockKey}, token);
        return deleted != null && deleted == 1L;
    }

    /**
     * Stores {@code value} under {@code key} for {@code ttl}, releases the lock and publishes
     * {@code key} on {@code channel}, if {@code token} still holds the lock; if it lost the lock,
     * stores and publishes only if {@code computedAt} is newer than the stored value's.
     *
     * @return false if the lock was lost (expired or taken)
     */
    public boolean storeAndRelease(String lockKey, String token, String key, String value, Duration ttl,
            String channel, long computedAt) {
        Long stored = redis.eval(STORE_AND_RELEASE, ScriptOutputType.INTEGER, new String[] {lockKey, key}, token,
                value, Long.toString(ttl.toMillis()), channel, Long.toString(computedAt));
        return stored != null && stored == 1L;
    }

    /** Extends the lock to {@code ttl} from now if {@code token} still holds it; false if it lost it. */
    public boolean extend(String lockKey, String token, Duration ttl) {
        Long extended = redis.eval(EXTEND, ScriptOutputType.INTEGER, new String[] {lockKey}, token,
                Long.toString(ttl.toMillis()));
        return extended != null && extended == 1L;
    }

    /** Milliseconds until the lock expires; negative if nobody holds it. */
    public long remainingMillis(String lockKey) {
        Long pttl = redis.pttl(lockKey);
        return pttl == null ? -2 : pttl;
    }

    /** The current holder's token, if any (for tests and the admin view). */
    public Optional<String> holder(String lockKey) {
        return Optional.ofNullable(redis.get(lockKey));
    }
}
