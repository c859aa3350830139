package dev.failurelab.chain.cache;

import dev.failurelab.chain.LatencyTimers;
import dev.failurelab.contract.ChainMetricNames;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>How waiters wait: in each JVM one caller per key (a local single-flight) deals with Redis;
 * the others wait on its future, so a burst of hundreds costs Redis a handful of commands. That
 * caller, if another replica holds the lock, waits for a message on {@link #READY_CHANNEL}, which
 * the holder publishes from the same Lua script that stores the value — or, if the holder dies,
 * until the lock's TTL runs out, and then tries to take the lock itself. Nobody polls Redis in a
 * loop, and nobody waits past {@code waitTimeout}.
 *
 * <p>Redis down: reads fall back to the last value this JVM saw while it is fresh, otherwise to a
 * per-JVM single-flight recompute, so the origin sees at most one recompute per replica per key at
 * a time; Lettuce reconnects by itself and reads go back to Redis when it returns.
 *
 * <p>Concurrency: thread-safe. Shared state is in concurrent maps keyed by cache key; the Lettuce
 * connection is thread-safe; background refreshes run on a small executor, one per key per JVM.
 */
public final class StampedeGuard implements AutoCloseable {

    /** The channel a lock holder announces a stored key on. */
    public static final String READY_CHANNEL = "failurelab:cache:ready";
    private static final String LOCK_SUFFIX = ":lock";
    private static final int RECENT_RECOMPUTES = 64;

    /**
     * @param ttl         how long a value is fresh
     * @param staleWindow how long Redis keeps it after that, for stale-while-revalidate
     * @param lockTtl     how long a lock holder may take before the lock expires (and another may recompute)
     * @param waitTimeout the longest a caller waits for another's recompute before giving up
     * @param beta        XFetch's β: above 1 recomputes earlier, below 1 later
     */
    public record Settings(Duration ttl, Duration staleWindow, Duration lockTtl, Duration waitTimeout, double beta) {

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

    private final RedisCommands<String, String> redis;
    private final RedisLock lock;
    private final Settings settings;
    private final LongSupplier clockMillis;
    private final DoubleSupplier random;
    private final ExecutorService refresher;
    private volatile RecomputeStrategy strategy;

    private final Map<String, CompletableFuture<Read>> lockInFlight = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<CacheEntry>> fallbackInFlight = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> ready = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final Map<String, CacheEntry> lastSeen = new ConcurrentHashMap<>();
    private final Deque<Recompute> recent = new ArrayDeque<>();

    private final Map<Trigger, Timer> recomputeSucceeded = new EnumMap<>(Trigger.class);
    private final Map<Trigger, Timer> recomputeFailed = new EnumMap<>(Trigger.class);
    private final Counter lockAcquired;
    private final Counter lockBusy;
    private final Counter lockLost;
    private final Timer lockWaitValue;
    private final Timer lockWaitTimeout;
    private final Counter redisErrors;

    /**
     * @param redis       commands on a connection shared by every caller
     * @param pubSub      a connection this guard subscribes on, to hear of stored keys
     * @param settings    TTLs and waits
     * @param strategy    the strategy at start
     * @param clockMillis epoch milliseconds (values' expiry is shared across replicas)
     * @param random      uniform in [0, 1), for XFetch
     * @param registry    where the guard's meters go
     */
    public StampedeGuard(RedisCommands<String, String> redis, StatefulRedisPubSubConnection<String, String> pubSub,
            Settings settings, RecomputeStrategy strategy, LongSupplier clockMillis, DoubleSupplier random,
            MeterRegistry registry) {
        this.redis = redis;
        this.lock = new RedisLock(redis);
        this.settings = settings;
        this.strategy = strategy;
        this.clockMillis = clockMillis;
        this.random = random;
        this.refresher = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "cache-refresh");
            thread.setDaemon(true);
            return thread;
        });
        for (Trigger trigger : Trigger.values()) {
            recomputeSucceeded.put(trigger, recomputeTimer(registry, trigger, "success"));
            recomputeFailed.put(trigger, recomputeTimer(registry, trigger, "error"));
        }
        this.lockAcquired = lockCounter(registry, "acquired");
        this.lockBusy = lockCounter(registry, "busy");
        this.lockLost = Counter.builder(ChainMetricNames.CACHE_LOCK_LOST)
                .description("Recomputes whose lock expired before they stored (their value was not written)")
                .register(registry);
        this.lockWaitValue = lockWaitTimer(registry, "value");
        this.lockWaitTimeout = lockWaitTimer(registry, "timeout");
        this.redisErrors = Counter.builder(ChainMetricNames.CACHE_REDIS_ERRORS)
                .description("Reads that found Redis unavailable and fell back to this JVM")
                .register(registry);
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String key) {
                CompletableFuture<Void> waiting = ready.remove(key);
                if (waiting != null) {
                    waiting.complete(null);
                }
            }
        });
        pubSub.sync().subscribe(READY_CHANNEL);
    }

    public RecomputeStrategy strategy() {
        return strategy;
    }

    public void switchTo(RecomputeStrategy strategy) {
        this.strategy = strategy;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Reads {@code key}, recomputing it with {@code loader} as the strategy in force says.
     *
     * @throws CacheUnavailableException if no value can be given: the origin failed, or a wait for
     *                                   another caller's recompute ran past {@code waitTimeout}
     */
    public Read get(String key, Loader loader) {
        RecomputeStrategy current = strategy;
        CacheEntry entry;
        try {
            entry = CacheEntry.decode(redis.get(key));
        } catch (RedisException e) {
            return fallback(key, loader);
        }
        long now = clockMillis.getAsLong();
        if (entry != null && entry.isFresh(now)) {
            keepLastSeen(key, entry);
            if (current.recomputesEarly() && recomputeEarly(entry, now)) {
                try {
                    return new Read(recomputeAndStore(key, loader, Trigger.EARLY, entry).value(), Source.EARLY,
                            entry);
                } catch (CacheUnavailableException e) {
                    return new Read(entry.value(), Source.HIT, entry); // still fresh: a failed early recompute costs nothing
                }
            }
            return new Read(entry.value(), Source.HIT, entry);
        }
        if (entry != null && current.servesStale()) {
            refreshInBackground(key, loader, entry);
            return new Read(entry.value(), Source.STALE, entry);
        }
        if (current.locksOnMiss()) {
            long started = System.nanoTime();
            Read read = singleFlight(lockInFlight, key, () -> takeLockOrWait(key, loader, entry));
            if (read.source() == Source.WAITED) {
                lockWaitValue.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            return read;
        }
        CacheEntry fresh = recomputeAndStore(key, loader, Trigger.MISS, entry);
        return new Read(fresh.value(), Source.MISS, fresh);
    }

    /** Keeps the latest value seen for the Redis-down fallback; a hit on the same value writes nothing. */
    private void keepLastSeen(String key, CacheEntry entry) {
        CacheEntry seen = lastSeen.get(key);
        if (seen == null || seen.computedAt() != entry.computedAt()) {
            lastSeen.put(key, entry);
        }
    }

    private boolean recomputeEarly(CacheEntry entry, long now) {
        return xfetch(entry, now, settings.beta(), 1.0 - random.getAsDouble()); // (0, 1]: ln stays finite
    }

    /**
     * XFetch's test: recompute now if {@code now − δ·β·ln(u) ≥ expiry}, {@code u} uniform in (0, 1].
     * The expected head start is δ·β, so a value that takes longer to recompute is refreshed earlier.
     */
    static boolean xfetch(CacheEntry entry, long now, double beta, double uniform) {
        return now - entry.deltaMillis() * beta * Math.log(uniform) >= entry.expiresAt();
    }

    private CacheEntry recomputeAndStore(String key, Loader loader, Trigger trigger, CacheEntry previous) {
        CacheEntry fresh = load(key, loader, trigger, previous);
        try {
            redis.set(key, fresh.encode(), SetArgs.Builder.px(settings.redisTtl().toMillis()));
        } catch (RedisException e) {
            redisErrors.increment();
        }
        return fresh;
    }

    /** The local single-flight's leader: take the Redis lock and recompute, or wait for whoever holds it. */
    private Read takeLockOrWait(String key, Loader loader, CacheEntry previous) {
        String lockKey = key + LOCK_SUFFIX;
        long started = System.nanoTime();
        long deadline = started + settings.waitTimeout().toNanos();
        boolean waited = false;
        while (true) {
            // Registered before reading, so a value stored after the read is always heard of.
            CompletableFuture<Void> stored = ready.computeIfAbsent(key, k -> new CompletableFuture<>());
            long lockMillisLeft;
            try {
                CacheEntry current = CacheEntry.decode(redis.get(key));
                if (current != null && current.isFresh(clockMillis.getAsLong())) {
                    // a WAITED read's wait is recorded by get(), for the leader and its followers alike
                    return new Read(current.value(), waited ? Source.WAITED : Source.HIT, current);
                }
                String token = lock.tryAcquire(lockKey, settings.lockTtl()).orElse(null);
                if (token != null) {
                    // Read again under the lock: another replica may have stored the value and
                    // released the lock between our read and our acquire (a second recompute).
                    CacheEntry recheck = CacheEntry.decode(redis.get(key));
                    if (recheck != null && recheck.isFresh(clockMillis.getAsLong())) {
                        lock.release(lockKey, token);
                        return new Read(recheck.value(), waited ? Source.WAITED : Source.HIT, recheck);
                    }
                    lockAcquired.increment();
                    if (waited) {
                        lockWaitValue.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    }
                    CacheEntry fresh = recomputeUnderLock(key, lockKey, token, loader, previous);
                    return new Read(fresh.value(), Source.MISS, fresh);
                }
                lockBusy.increment();
                lockMillisLeft = lock.remainingMillis(lockKey);
            } catch (RedisException e) {
                return fallback(key, loader);
            }
            waited = true;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                lockWaitTimeout.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                        "waited " + settings.waitTimeout().toMillis() + " ms for another caller's recompute of " + key,
                        null);
            }
            if (lockMillisLeft == -2) {
                continue; // released or expired between the two commands: try to take it now
            }
            // -1 (a lock with no TTL, not ours) waits out the deadline rather than spinning.
            long waitNanos = lockMillisLeft < 0 ? left
                    : Math.min(left, TimeUnit.MILLISECONDS.toNanos(lockMillisLeft + 5));
            try {
                stored.get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException expectedWhenTheHolderDies) {
                // the lock has expired by now (or the deadline is near): read and try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                        "interrupted while waiting for " + key, e);
            }
        }
    }

    private CacheEntry recomputeUnderLock(String key, String lockKey, String token, Loader loader,
            CacheEntry previous) {
        CacheEntry fresh;
        try {
            fresh = load(key, loader, Trigger.MISS, previous);
        } catch (CacheUnavailableException e) {
            // Give the lock back and wake the waiters, so one of them tries the origin at once.
            try {
                lock.release(lockKey, token);
                redis.publish(READY_CHANNEL, key);
            } catch (RedisException ignored) {
                // the lock's TTL releases it anyway
            }
            throw e;
        }
        try {
            if (!lock.storeAndRelease(lockKey, token, key, fresh.encode(), settings.redisTtl(), READY_CHANNEL)) {
                lockLost.increment();
            }
        } catch (RedisException e) {
            redisErrors.increment();
        }
        lastSeen.put(key, fresh);
        return fresh;
    }

    /** Stale-while-revalidate: at most one refresh per key per JVM, and one across replicas via the lock. */
    private void refreshInBackground(String key, Loader loader, CacheEntry stale) {
        if (!refreshing.add(key)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    refresh(key, loader, stale);
                } finally {
                    refreshing.remove(key);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.remove(key);
        }
    }

    private void refresh(String key, Loader loader, CacheEntry stale) {
        String lockKey = key + LOCK_SUFFIX;
        try {
            String token = lock.tryAcquire(lockKey, settings.lockTtl()).orElse(null);
            if (token == null) {
                lockBusy.increment();
                return; // another caller (or replica) is refreshing it
            }
            lockAcquired.increment();
            CacheEntry current = CacheEntry.decode(redis.get(key));
            if (current != null && current.isFresh(clockMillis.getAsLong())) {
                lock.release(lockKey, token); // refreshed meanwhile
                return;
            }
            recomputeUnderLock(key, lockKey, token, loader, stale);
        } catch (RedisException e) {
            redisErrors.increment();
        } catch (CacheUnavailableException e) {
            // the stale value keeps being served; the next stale read tries again
        }
    }

    private Read fallback(String key, Loader loader) {
        redisErrors.increment();
        CacheEntry last = lastSeen.get(key);
        if (last != null && last.isFresh(clockMillis.getAsLong())) {
            return new Read(last.value(), Source.FALLBACK, last);
        }
        return singleFlight(fallbackInFlight, key, () -> {
            CacheEntry fresh = load(key, loader, Trigger.FALLBACK, last);
            lastSeen.put(key, fresh);
            return fresh;
        }, entry -> new Read(entry.value(), Source.FALLBACK, entry));
    }

    private Read singleFlight(Map<String, CompletableFuture<Read>> inFlight, String key,
            java.util.function.Supplier<Read> leaderWork) {
        return singleFlight(inFlight, key, leaderWork, leader -> leader);
    }

    /**
     * One caller per key does {@code work}; callers arriving meanwhile wait for its result (bounded
     * by the lock TTL plus the wait timeout) and see it as {@link Source#WAITED}.
     */
    private <T> Read singleFlight(Map<String, CompletableFuture<T>> inFlight, String key,
            java.util.function.Supplier<T> work, java.util.function.Function<T, Read> asRead) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            Read read = asRead.apply(await(leader, key));
            return read.source() == Source.FALLBACK ? read : new Read(read.value(), Source.WAITED, read.entry());
        }
        try {
            T result = work.get();
            mine.complete(result);
            return asRead.apply(result);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private <T> T await(CompletableFuture<T> leader, String key) {
        long bound = settings.waitTimeout().plus(settings.lockTtl()).toNanos();
        try {
            return leader.get(bound, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CacheUnavailableException unavailable) {
                throw unavailable;
            }
            throw new CacheUnavailableException(CacheUnavailableException.Reason.ORIGIN_UNAVAILABLE,
                    "the recompute of " + key + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                    "waited " + TimeUnit.NANOSECONDS.toMillis(bound) + " ms for the recompute of " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                    "interrupted while waiting for " + key, e);
        }
    }

    /** Runs the loader, timed by trigger, and builds the entry with its measured δ. */
    private CacheEntry load(String key, Loader loader, Trigger trigger, CacheEntry previous) {
        long start = System.nanoTime();
        long at = clockMillis.getAsLong();
        try {
            String value = loader.load();
            long nanos = System.nanoTime() - start;
            recomputeSucceeded.get(trigger).record(nanos, TimeUnit.NANOSECONDS);
            long now = clockMillis.getAsLong();
            long delta = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
            remember(new Recompute(at, key, trigger, delta, true, previous == null ? 0 : previous.expiresAt()));
            return new CacheEntry(value, now, now + settings.ttl().toMillis(), delta);
        } catch (Exception e) {
            long nanos = System.nanoTime() - start;
            recomputeFailed.get(trigger).record(nanos, TimeUnit.NANOSECONDS);
            remember(new Recompute(at, key, trigger, TimeUnit.NANOSECONDS.toMillis(nanos), false,
                    previous == null ? 0 : previous.expiresAt()));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new CacheUnavailableException(CacheUnavailableException.Reason.ORIGIN_UNAVAILABLE,
                    "recomputing " + key + " failed: " + e.getMessage(), e);
        }
    }

    private void remember(Recompute recompute) {
        synchronized (recent) {
            if (recent.size() == RECENT_RECOMPUTES) {
                recent.removeFirst();
            }
            recent.addLast(recompute);
        }
    }

    /** This JVM's latest recomputes, oldest first. */
    public List<Recompute> recentRecomputes() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** The entry in Redis now, or null; throws {@link RedisException} if Redis is down. */
    public CacheEntry peek(String key) {
        return CacheEntry.decode(redis.get(key));
    }

    /** The lock's holder token, if any; throws {@link RedisException} if Redis is down. */
    public java.util.Optional<String> lockHolder(String key) {
        return lock.holder(key + LOCK_SUFFIX);
    }

    /** Removes the key, its lock and this JVM's copy and recompute history (a lab's clean start). */
    public void evict(String key) {
        lastSeen.remove(key);
        synchronized (recent) {
            recent.removeIf(r -> r.key().equals(key));
        }
        redis.del(key, key + LOCK_SUFFIX);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    private static Timer recomputeTimer(MeterRegistry registry, Trigger trigger, String outcome) {
        return LatencyTimers.builder(ChainMetricNames.CACHE_RECOMPUTES,
                        "Recomputes of a cached value from the origin, by trigger")
                .tag(ChainMetricNames.TRIGGER, trigger.tag())
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry);
    }

    private static Counter lockCounter(MeterRegistry registry, String result) {
        return Counter.builder(ChainMetricNames.CACHE_LOCK_ACQUISITIONS)
                .description("Attempts to take a key's recompute lock, by result")
                .tag(ChainMetricNames.RESULT, result)
                .register(registry);
    }

    private static Timer lockWaitTimer(MeterRegistry registry, String outcome) {
        return LatencyTimers.builder(ChainMetricNames.CACHE_LOCK_WAIT,
                        "Time a caller waited for another's recompute, by outcome")
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry);
    }
}
