package dev.failurelab.chain.cache;

import dev.failurelab.chain.defence.DefenceImplementation;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The per-key lock the {@code lock} strategies take before recomputing the hot key, shared by
 * every replica through Redis. {@link RedisLock} is the project's; the stampede exercise has
 * participants write their own ({@code exercises/}), which a replica runs when
 * {@code chain.cache.lock.implementation} names its class.
 *
 * <p>The contract: at most one caller holds a lock key at a time, and its token (unique per
 * acquire) proves it; the lock expires after its TTL, so a dead holder blocks the others no longer;
 * release and extend act only for the token that holds the lock, never for a holder whose lock
 * expired and was taken by another. Implementations are thread-safe, each operation one atomic
 * Redis command or script.
 */
public interface RecomputeLock {

    /**
     * Takes the lock if nobody holds it.
     *
     * @return the token that proves ownership, or empty if another holds the lock
     */
    Optional<String> tryAcquire(String lockKey, Duration ttl);

    /** Releases the lock if {@code token} still holds it; false if it expired or another holds it. */
    boolean release(String lockKey, String token);

    /** Extends the lock to {@code ttl} from now if {@code token} still holds it; false if it lost it. */
    boolean extend(String lockKey, String token, Duration ttl);

    /** The name of the project's own implementation, {@link RedisLock}. */
    String REFERENCE = DefenceImplementation.REFERENCE;

    /**
     * The lock of {@code implementation} over a replica's Redis commands: {@value #REFERENCE}, or the
     * name of a class that implements this interface with a public constructor
     * {@code (RedisCommands<String, String> redis)}.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    static Function<RedisCommands<String, String>, RecomputeLock> factory(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return RedisLock::new;
        }
        DefenceImplementation<RecomputeLock> loaded = DefenceImplementation.load("chain.cache.lock.implementation",
                implementation, RecomputeLock.class, "(RedisCommands<String, String> redis)", RedisCommands.class);
        return redis -> loaded.create(redis);
    }
}
