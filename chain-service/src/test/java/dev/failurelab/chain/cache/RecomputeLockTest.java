package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code chain.cache.lock.implementation}: the reference by default, or a class, refused with a reason. */
class RecomputeLockTest {

    @Test
    void theReference_isTheProjectsLock() {
        assertThat(RecomputeLock.factory(RecomputeLock.REFERENCE).apply(null)).isInstanceOf(RedisLock.class);
        assertThat(RecomputeLock.factory(" ").apply(null)).isInstanceOf(RedisLock.class);
        assertThat(RecomputeLock.factory(RedisLock.class.getName()).apply(null)).isInstanceOf(RedisLock.class);
    }

    @Test
    void aClassThatIsMissing_orIsNotALock_orHasNoSuchConstructor_isRefusedNamingTheProperty() {
        assertThatThrownBy(() -> RecomputeLock.factory("dev.failurelab.exercise.NoSuchLock"))
                .hasMessageContaining("chain.cache.lock.implementation", "no class");
        assertThatThrownBy(() -> RecomputeLock.factory(String.class.getName()))
                .hasMessageContaining("chain.cache.lock.implementation", "does not implement");
        assertThatThrownBy(() -> RecomputeLock.factory(CacheEntry.class.getName()))
                .hasMessageContaining("does not implement " + RecomputeLock.class.getName());
        assertThatThrownBy(() -> RecomputeLock.factory(WithoutTheConstructor.class.getName()))
                .hasMessageContaining("needs a public constructor (RedisCommands<String, String> redis)");
    }

    /** A lock without the constructor a replica calls. */
    public static final class WithoutTheConstructor implements RecomputeLock {
        @Override
        public java.util.Optional<String> tryAcquire(String lockKey, java.time.Duration ttl) {
            return java.util.Optional.empty();
        }

        @Override
        public boolean release(String lockKey, String token) {
            return false;
        }

        @Override
        public boolean extend(String lockKey, String token, java.time.Duration ttl) {
            return false;
        }
    }
}
