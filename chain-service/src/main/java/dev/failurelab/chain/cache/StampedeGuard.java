package dev.failurelab.chain.cache;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Cache-aside reads of hot keys from Redis, guarded against the stampede that follows an expiry
 * by the {@link RecomputeStrategy} in force (switchable at runtime):
 * <ul>
 * <li>{@code none}: every caller that finds the key expired recomputes it;</li>
 * <li>{@code lock}: one caller across all replicas takes the key's {@link RedisLock} and
 *     recomputes; the others wait for its value;</li>
 * <li>{@code xfetch}: a caller recomputes a still-fresh value early when
 *     {@code now − δ·β·ln(rand) ≥ expiry} (Vattani et al., VLDB 2015), δ being the measured
 *     recompute time stored with the value;</li>
 * <li>{@code swr}: an expired value still in Redis is served while one caller refreshes it in the
 *     background (the refresh is claimed with the same lock, so one caller across replicas);</li>
 * <li>{@code lock+swr}: stale-while-revalidate, and the lock when there is nothing stale to serve.</li>
 * </ul>
 *
 * <p>This class is the facade: each strategy is a small class of its own ({@link RecomputeOnMiss},
 * {@link LockOnMiss}, {@link XFetch}, {@link StaleWhileRevalidate}) written against the
 * {@link CacheStore} port ({@link RedisCacheStore} over Lettuce); {@link RedisDownFallback}
 * decorates them all; {@link Recomputer} is what they share; {@link CacheListener} reports
 * ({@link CacheMeters} for Micrometer).
 *
 * <p>Concurrency: thread-safe. The strategy in force is a volatile read once per call, so a switch
 * applies to the next read.
 */
public final class StampedeGuard implements AutoCloseable {

    /**
     * @param ttl         how long a value is fresh
     * @param staleWindow how long Redis keeps it after that, for stale-while-revalidate
     * @param lockTtl     how long a lock holder may take before the lock expires (and another may recompute)
     * @param waitTimeout the longest a caller waits for another's recompute before giving up
     * @param beta        XFetch's β: above 1 recomputes earlier, below 1 later
     * @param maxHold     how long a live holder keeps its lock by renewing it (every third of
     *                    {@code lockTtl}) while it recomputes: the origin's statement timeout, so that
     *                    a slow recompute is still the only one; a dead holder stops renewing and its
     *                    lock expires after {@code lockTtl}. Equal to {@code lockTtl}: no renewal
     */
    public record Settings(Duration ttl, Duration staleWindow, Duration lockTtl, Duration waitTimeout, double beta,
            Duration maxHold) {

        /**
         * Settings whose live holder renews its lock for as long as its query may run
         * ({@code statementTimeout}), and a dead one loses it after {@code lockTtl}.
         */
        public static Settings renewingFor(Duration ttl, Duration staleWindow, Duration lockTtl, Duration waitTimeout,
                double beta, Duration statementTimeout) {
            return new Settings(ttl, staleWindow, lockTtl, waitTimeout, beta,
                    statementTimeout.compareTo(lockTtl) > 0 ? statementTimeout : lockTtl);
        }

        /** Settings without renewal: a holder keeps its lock for {@code lockTtl} at most. */
        public Settings(Duration ttl, Duration staleWindow, Duration lockTtl, Duration waitTimeout, double beta) {
            this(ttl, staleWindow, lockTtl, waitTimeout, beta, lockTtl);
        }

        public Settings {
            requirePositive(ttl, "ttl");
            if (staleWindow == null || staleWindow.isNegative()) {
                throw new IllegalArgumentException("staleWindow must not be negative");
            }
            requirePositive(lockTtl, "lockTtl");
            requirePositive(waitTimeout, "waitTimeout");
            if (!(beta > 0)) {
                throw new IllegalArgumentException("beta must be greater than 0");
            }
            if (maxHold == null || maxHold.compareTo(lockTtl) < 0) {
                throw new IllegalArgumentException("maxHold must be at least lockTtl");
            }
        }

        private static void requirePositive(Duration value, String name) {
            if (value == null || value.isZero() || value.isNegative() || value.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms");
            }
        }

        Duration redisTtl() {
            return ttl.plus(staleWindow);
        }
    }

    /** Where a read's value came from. */
    public enum Source {
        /** Fresh in Redis. */
        HIT,
        /** Recomputed by this caller after a miss. */
        MISS,
        /** Recomputed by this caller before the expiry (XFetch). */
        EARLY,
        /** Expired but served while one caller refreshes it. */
        STALE,
        /** Recomputed by another caller this one waited for. */
        WAITED,
        /** Redis unavailable: from this JVM's last value or its single-flight recompute. */
        FALLBACK;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What triggered a recompute (a tag of {@link ChainMetricNames#CACHE_RECOMPUTES}). */
    public enum Trigger {
        MISS, EARLY, REFRESH, FALLBACK;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A read's value, where it came from, and the entry it belongs to. */
    public record Read(String value, Source source, CacheEntry entry) {
    }

    /** Computes a key's value from the origin. */
    @FunctionalInterface
    public interface Loader {
        String load() throws Exception;
    }

    /**
     * A recompute, for the admin view: when, why, how long, and how it stood to the expiry of the
     * value it replaced ({@code previousExpiresAt} is 0 if there was none).
     */
    public record Recompute(long at, String key, Trigger trigger, long durationMillis, boolean succeeded,
            long previousExpiresAt) {
    }

    private final CacheStore store;
    private final Recomputer recomputer;
    private final RedisDownFallback fallback;
    private final StaleWhileRevalidate.Refresher refresher = new StaleWhileRevalidate.Refresher();
    private final Map<RecomputeStrategy, ReadStrategy> strategies = new EnumMap<>(RecomputeStrategy.class);
    private volatile RecomputeStrategy strategy;

    /**
     * Over Redis, with Micrometer meters.
     *
     * @param redis       commands on a connection shared by every caller
     * @param pubSub      a connection this guard subscribes on, to hear of stored keys
     * @param lock        the per-key lock, over {@code redis}
     * @param settings    TTLs and waits
     * @param strategy    the strategy at start
     * @param clockMillis epoch milliseconds (values' expiry is shared across replicas)
     * @param random      uniform in [0, 1), for XFetch
     * @param registry    where the guard's meters go
     */
    public StampedeGuard(RedisCommands<String, String> redis, StatefulRedisPubSubConnection<String, String> pubSub,
            RecomputeLock lock, Settings settings, RecomputeStrategy strategy, LongSupplier clockMillis,
            DoubleSupplier random, MeterRegistry registry) {
        this(new RedisCacheStore(redis, pubSub, lock), settings, strategy, clockMillis, random, new CacheMeters(registry));
    }

    /** Over any store, reporting to {@code listener}. */
    public StampedeGuard(CacheStore store, Settings settings, RecomputeStrategy strategy, LongSupplier clockMillis,
            DoubleSupplier random, CacheListener listener) {
        this.store = store;
        this.strategy = strategy;
        this.recomputer = new Recomputer(store, settings, clockMillis, listener);
        this.fallback = new RedisDownFallback(recomputer, settings.waitTimeout().plus(settings.lockTtl()));
        ReadStrategy none = new RecomputeOnMiss(recomputer);
        ReadStrategy lock = new LockOnMiss(recomputer);
        strategies.put(RecomputeStrategy.NONE, none);
        strategies.put(RecomputeStrategy.LOCK, lock);
        strategies.put(RecomputeStrategy.XFETCH, new XFetch(recomputer, random, none));
        strategies.put(RecomputeStrategy.SWR, new StaleWhileRevalidate(recomputer, refresher, none));
        strategies.put(RecomputeStrategy.LOCK_SWR, new StaleWhileRevalidate(recomputer, refresher, lock));
    }

    public RecomputeStrategy strategy() {
        return strategy;
    }

    public void switchTo(RecomputeStrategy strategy) {
        this.strategy = strategy;
    }

    public Settings settings() {
        return recomputer.settings();
    }

    /** Puts new TTLs and waits in force, from the next read on (a wait already begun keeps its own). */
    public void reconfigure(Settings next) {
        recomputer.settings(next);
    }

    /**
     * Reads {@code key}, recomputing it with {@code loader} as the strategy in force says.
     *
     * @throws CacheUnavailableException if no value can be given: the origin failed, or a wait for
     *                                   another caller's recompute ran past {@code waitTimeout}
     */
    public Read get(String key, Loader loader) {
        return fallback.read(key, loader, strategies.get(strategy));
    }

    /** This JVM's latest recomputes, oldest first. */
    public List<Recompute> recentRecomputes() {
        return recomputer.recent();
    }

    /** The entry in the store now, or null; throws {@link CacheStore.Unavailable} if it is down. */
    public CacheEntry peek(String key) {
        return store.get(key);
    }

    /** The lock's holder token, if any; throws {@link CacheStore.Unavailable} if the store is down. */
    public Optional<String> lockHolder(String key) {
        return store.lockHolder(key);
    }

    /** Removes the key, its lock and this JVM's copy and recompute history (a lab's clean start). */
    public void evict(String key) {
        recomputer.forget(key);
        store.delete(key);
    }

    @Override
    public void close() {
        refresher.close();
        recomputer.close();
    }
}
