package dev.failurelab.exercise.stampede;

import dev.failurelab.chain.cache.RecomputeLock;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Exercise 11.2: your per-key lock for the hot key's recompute, in Redis, shared by both replicas.
 * It compiles, and it does not defend: every caller "gets" the lock, so every caller recomputes at
 * the expiry, which is the stampede. Make it a lock, then run
 * {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with the figure they measured and a hint):
 * <ul>
 *   <li>one holder at a time: of many callers racing for a lock key, exactly one gets a token;</li>
 *   <li>a token unique to each acquire, which proves ownership later;</li>
 *   <li>the lock expires after {@code ttl}: a holder that died blocks the others no longer;</li>
 *   <li>release and extend act only for the token that holds the lock: a holder whose lock expired
 *       and was taken by another must not delete (or extend) the new holder's lock;</li>
 *   <li>each operation is one atomic Redis command or script ({@code redis.set(..)},
 *       {@code redis.eval(..)}).</li>
 * </ul>
 *
 * <p>Where to look: the Redis documentation, "Distributed Locks with Redis" (the single-instance
 * pattern: {@code SET key token NX PX ttl}, and a Lua script that deletes the key only if it holds
 * the token); Kleppmann, "How to do distributed locking" (what a lock's expiry costs); Lettuce's
 * {@code SetArgs} and {@code eval}.
 */
public final class MyRecomputeLock implements RecomputeLock {

    private final RedisCommands<String, String> redis;

    public MyRecomputeLock(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    @Override
    public Optional<String> tryAcquire(String lockKey, Duration ttl) {
        // TODO: take the lock only if nobody holds it, and let it expire after ttl.
        String token = UUID.randomUUID().toString();
        redis.set(lockKey, token);
        return Optional.of(token);
    }

    @Override
    public boolean release(String lockKey, String token) {
        // TODO: delete the lock only if it still holds this token (one atomic step).
        return redis.del(lockKey) == 1L;
    }

    @Override
    public boolean extend(String lockKey, String token, Duration ttl) {
        // TODO: push the expiry to ttl from now, only if the lock still holds this token.
        return true;
    }
}
