package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.lab.infra.Infrastructure;
import dev.failurelab.lab.infra.ResolvedServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stampede guard against a real Redis, with two or three guards standing for replicas. The
 * loaders here stand in for the origin (the PostgreSQL origin is exercised in {@code HotKeyCacheIT}).
 */
class StampedeGuardIT {

    private static ResolvedServer redis;
    private static RedisClient inspector;
    private static StatefulRedisConnection<String, String> inspection;

    private GuardFixture fixture;
    private String key;

    @BeforeAll
    static void startRedis() {
        redis = Infrastructure.redisForTests(System.getenv());
        inspector = RedisClient.create(redis.url());
        inspection = inspector.connect();
    }

    @AfterAll
    static void stopRedis() {
        inspection.close();
        inspector.shutdown();
        redis.close();
    }

    @BeforeEach
    void setUp() {
        fixture = new GuardFixture(redis.url());
        key = GuardFixture.uniqueKey();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private static StampedeGuard.Settings settings(Duration ttl, Duration lockTtl, Duration waitTimeout) {
        return new StampedeGuard.Settings(ttl, Duration.ofMinutes(1), lockTtl, waitTimeout, 1.0);
    }

    /** A stand-in origin: counts its calls and takes {@code millis} like a query would. */
    private static final class CountingLoader implements StampedeGuard.Loader {
        final AtomicInteger calls = new AtomicInteger();
        final List<Long> startedAt = java.util.Collections.synchronizedList(new ArrayList<>());
        final long millis;
        final String name;

        CountingLoader(String name, long millis) {
            this.name = name;
            this.millis = millis;
        }

        @Override
        public String load() throws Exception {
            startedAt.add(System.nanoTime());
            int call = calls.incrementAndGet();
            Thread.sleep(millis);
            return name + "#" + call;
        }
    }

    private List<Callable<StampedeGuard.Read>> reads(int count, List<StampedeGuard> replicas,
            StampedeGuard.Loader loader) {
        return GuardFixture.reads(count, replicas, key, loader);
    }

    private static <T> List<T> results(List<Future<T>> futures) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(20, TimeUnit.SECONDS));
        }
        return results;
    }

    private static Map<StampedeGuard.Source, Long> bySource(List<StampedeGuard.Read> reads) {
        return reads.stream().collect(Collectors.groupingBy(StampedeGuard.Read::source, Collectors.counting()));
    }

    @Test
    void release_withAWrongToken_neverDeletesTheHoldersLock() {
        RedisLock lock = new RedisLock(inspection.sync());
        String lockKey = key + ":lock";
        String token = lock.tryAcquire(lockKey, Duration.ofSeconds(5)).orElseThrow();
        assertThat(lock.tryAcquire(lockKey, Duration.ofSeconds(5))).as("held: a second caller is refused").isEmpty();
        assertThat(lock.release(lockKey, "not-the-token")).isFalse();
        assertThat(inspection.sync().get(lockKey)).isEqualTo(token);
        assertThat(lock.release(lockKey, token)).isTrue();
        assertThat(inspection.sync().get(lockKey)).isNull();
    }

    /** A correct lock the store cannot look inside (as a participant's is): it stores, then releases. */
    private static final class OpaqueLock implements RecomputeLock {
        private final RedisLock delegate;

        OpaqueLock(RedisLock delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.util.Optional<String> tryAcquire(String lockKey, Duration ttl) {
            return delegate.tryAcquire(lockKey, ttl);
        }

        @Override
        public boolean release(String lockKey, String token) {
            return delegate.release(lockKey, token);
        }

        @Override
        public boolean extend(String lockKey, String token, Duration ttl) {
            return delegate.extend(lockKey, token, ttl);
        }
    }

    @Test
    void putAndUnlock_afterTheLockWasLost_storesOnlyANewerValue_andLeavesTheNewHoldersLock() throws Exception {
        RedisLock reference = new RedisLock(inspection.sync());
        for (RecomputeLock lock : List.of(reference, new OpaqueLock(reference))) {
            String name = lock.getClass().getSimpleName();
            String entryKey = key + ":" + name;
            try (var pubSub = inspector.connectPubSub()) {
                RedisCacheStore store = new RedisCacheStore(inspection.sync(), pubSub, lock);
                List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
                store.onStored(announced::add);
                CacheEntry older = new CacheEntry("older", 1_000, 31_000, 5);
                CacheEntry newer = new CacheEntry("newer", 2_000, 32_000, 5);
                String stale = store.tryLock(entryKey, Duration.ofMillis(100)).orElseThrow();
                Thread.sleep(200);
                String current = store.tryLock(entryKey, Duration.ofSeconds(5)).orElseThrow();
                assertThat(store.putAndUnlock(entryKey, current, newer, Duration.ofSeconds(5))).as(name).isTrue();
                assertThat(store.lockHolder(entryKey)).as(name).isEmpty();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(announced).as(name + ": the stored key is announced").contains(entryKey));
                String third = store.tryLock(entryKey, Duration.ofSeconds(5)).orElseThrow();

                assertThat(store.putAndUnlock(entryKey, stale, older, Duration.ofSeconds(5))).as(name + ": the lock was lost")
                        .isFalse();
                assertThat(store.get(entryKey).value()).as(name + ": never over a newer value").isEqualTo("newer");
                assertThat(store.lockHolder(entryKey)).as(name + ": the new holder's lock is left alone").contains(third);

                inspection.sync().del(entryKey);
                assertThat(store.putAndUnlock(entryKey, stale, older, Duration.ofSeconds(5))).as(name).isFalse();
                assertThat(store.get(entryKey).value()).as(name + ": a finished recompute is kept when nothing newer is there")
                        .isEqualTo("older");
                assertThat(store.lockHolder(entryKey)).as(name).contains(third);
                assertThat(store.lockRemainingMillis(entryKey)).as(name).isBetween(1L, 5_000L);
                store.delete(entryKey);
                assertThat(store.lockRemainingMillis(entryKey)).as(name + ": nobody holds it").isEqualTo(-2L);
            }
        }
    }

    @Test
    void lock_aRecomputeOfThreeLockTtls_staysTheOnlyOne_noLockLost_noError() throws Exception {
        StampedeGuard.Settings settings = new StampedeGuard.Settings(Duration.ofSeconds(30), Duration.ofMinutes(1),
                Duration.ofMillis(500), Duration.ofSeconds(5), 1.0, Duration.ofSeconds(10));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<StampedeGuard> replicas = List.of(fixture.guard(settings, RecomputeStrategy.LOCK, registry),
                fixture.guard(settings, RecomputeStrategy.LOCK, registry));
        CountingLoader origin = new CountingLoader("slow", 1500);

        List<StampedeGuard.Read> reads = results(fixture.together(reads(40, replicas, origin)));

        assertThat(origin.calls.get()).as("one origin query across both replicas").isEqualTo(1);
        assertThat(registry.get(ChainMetricNames.CACHE_LOCK_LOST).counter().count()).as("lost locks").isZero();
        assertThat(reads).extracting(StampedeGuard.Read::value).containsOnly("slow#1");
    }

    @Test
    void none_aBurstOfMissesAcrossTwoReplicas_recomputesForNearlyEveryCaller() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5));
        List<StampedeGuard> replicas = List.of(fixture.guard(settings, RecomputeStrategy.NONE),
                fixture.guard(settings, RecomputeStrategy.NONE));
        CountingLoader origin = new CountingLoader("origin", 300);

        List<StampedeGuard.Read> reads = results(fixture.together(reads(100, replicas, origin)));

        assertThat(origin.calls.get()).as("every caller that found the key missing recomputed").isGreaterThanOrEqualTo(90);
        assertThat(bySource(reads).get(StampedeGuard.Source.MISS)).isEqualTo(origin.calls.get());
    }

    @Test
    void lock_aBurstAcrossTwoReplicas_recomputesOnce_andEveryCallerGetsThatValueSoonAfter() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5));
        List<StampedeGuard> replicas = List.of(fixture.guard(settings, RecomputeStrategy.LOCK),
                fixture.guard(settings, RecomputeStrategy.LOCK));
        CountingLoader origin = new CountingLoader("origin", 300);
        List<Callable<StampedeGuard.Read>> timed = new ArrayList<>();
        Map<StampedeGuard.Read, Long> latency = new ConcurrentHashMap<>();
        for (Callable<StampedeGuard.Read> read : reads(200, replicas, origin)) {
            timed.add(() -> {
                long start = System.nanoTime();
                StampedeGuard.Read result = read.call();
                latency.put(result, System.nanoTime() - start);
                return result;
            });
        }

        List<StampedeGuard.Read> reads = results(fixture.together(timed));

        assertThat(origin.calls.get()).as("one recompute across both replicas").isEqualTo(1);
        assertThat(reads).extracting(StampedeGuard.Read::value).containsOnly("origin#1");
        assertThat(bySource(reads).get(StampedeGuard.Source.MISS)).isEqualTo(1);
        long slowestMillis = TimeUnit.NANOSECONDS.toMillis(latency.values().stream().max(Long::compare).orElseThrow());
        assertThat(slowestMillis).as("waiters are told as soon as the value is stored (recompute 300 ms)")
                .isLessThan(300 + 400);
    }

    @Test
    void lock_theHolderHangs_itsLockExpires_andExactlyOneOtherCallerRecomputes_whileNobodyWaitsForever()
            throws Exception {
        Duration lockTtl = Duration.ofMillis(800);
        StampedeGuard.Settings settings = settings(Duration.ofSeconds(30), lockTtl, Duration.ofSeconds(4));
        SimpleMeterRegistry hungRegistry = new SimpleMeterRegistry();
        StampedeGuard hung = fixture.guard(settings, RecomputeStrategy.LOCK, hungRegistry);
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicLong hungStarted = new AtomicLong();
        Future<StampedeGuard.Read> hungRead = fixture.submit(() -> hung.get(key, () -> {
            hungStarted.set(System.nanoTime());
            unblock.await(); // the holder's recompute hangs (a stuck query, a GC pause, a dead process)
            return "from the hung holder";
        }));
        await().atMost(Duration.ofSeconds(5)).until(() -> hungStarted.get() != 0);
        String hungToken = hung.lockHolder(key).orElseThrow();

        List<StampedeGuard> others = List.of(fixture.guard(settings, RecomputeStrategy.LOCK),
                fixture.guard(settings, RecomputeStrategy.LOCK));
        CountingLoader origin = new CountingLoader("survivor", 100);
        long burstStart = System.nanoTime();
        List<StampedeGuard.Read> reads = results(fixture.together(reads(60, others, origin)));
        long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstStart);

        assertThat(origin.calls.get()).as("exactly one other caller took the expired lock").isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(origin.startedAt.get(0) - hungStarted.get()))
                .as("not before the hung holder's lock expired: never two holders at once")
                .isGreaterThanOrEqualTo(lockTtl.toMillis() - 50);
        assertThat(reads).extracting(StampedeGuard.Read::value).containsOnly("survivor#1");
        assertThat(burstMillis).as("nobody waited past the lock's TTL by much").isLessThan(lockTtl.toMillis() + 1500);

        unblock.countDown();
        assertThat(hungRead.get(5, TimeUnit.SECONDS).value()).as("the late holder still answers its caller")
                .isEqualTo("from the hung holder");
        assertThat(hungRegistry.get(ChainMetricNames.CACHE_LOCK_LOST).counter().count())
                .as("its lock was lost, and its value (read before the survivor's) is older: it wrote nothing").isEqualTo(1);
        assertThat(CacheEntry.decode(inspection.sync().get(key)).value()).isEqualTo("survivor#1");
        assertThat(inspection.sync().get(key + ":lock")).as("the late holder did not delete another's lock")
                .isNotEqualTo(hungToken);
    }

    @Test
    void lock_aHolderThatOutlastsTheWaitTimeout_failsItsWaitersWithAClearError_inBoundedTime() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(500));
        StampedeGuard holder = fixture.guard(settings, RecomputeStrategy.LOCK);
        CountDownLatch unblock = new CountDownLatch(1);
        fixture.submit(() -> holder.get(key, () -> {
            unblock.await();
            return "late";
        }));
        await().atMost(Duration.ofSeconds(5)).until(() -> holder.lockHolder(key).isPresent());
        StampedeGuard waiter = fixture.guard(settings, RecomputeStrategy.LOCK);
        CountingLoader origin = new CountingLoader("never", 1);
        try {
            long start = System.nanoTime();
            List<Future<StampedeGuard.Read>> futures = fixture.together(reads(20, List.of(waiter), origin));
            for (Future<StampedeGuard.Read> future : futures) {
                assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(CacheUnavailableException.class)
                        .extracting(e -> ((CacheUnavailableException) e).reason())
                        .isEqualTo(CacheUnavailableException.Reason.WAIT_TIMEOUT);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 3000L);
            assertThat(origin.calls.get()).isZero();
        } finally {
            unblock.countDown();
        }
    }

    @Test
    void lock_theOriginFails_everyCallerGetsOriginUnavailable_andTheOriginIsNotHammered() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(2));
        List<StampedeGuard> replicas = List.of(fixture.guard(settings, RecomputeStrategy.LOCK),
                fixture.guard(settings, RecomputeStrategy.LOCK));
        AtomicInteger calls = new AtomicInteger();
        StampedeGuard.Loader down = () -> {
            calls.incrementAndGet();
            Thread.sleep(50);
            throw new java.sql.SQLTransientConnectionException("origin - Connection is not available");
        };
        long start = System.nanoTime();
        List<Future<StampedeGuard.Read>> futures = fixture.together(reads(100, replicas, down));
        for (Future<StampedeGuard.Read> future : futures) {
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining("Connection is not available");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);
        assertThat(calls.get()).as("a handful of attempts, not one per caller").isBetween(1, 10);
        assertThat(inspection.sync().get(key + ":lock")).as("a failed holder gives the lock back").isNull();
    }

    @Test
    void swr_anExpiredValue_isServedStaleAtOnce_whileExactlyOneRefreshRunsAcrossReplicas() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(5));
        List<StampedeGuard> replicas = List.of(fixture.guard(settings, RecomputeStrategy.SWR),
                fixture.guard(settings, RecomputeStrategy.SWR));
        CountingLoader origin = new CountingLoader("origin", 1200);
        assertThat(replicas.get(0).get(key, origin).source()).isEqualTo(StampedeGuard.Source.MISS);
        Thread.sleep(400); // expired, still in Redis

        List<Callable<StampedeGuard.Read>> timed = new ArrayList<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Callable<StampedeGuard.Read> read : reads(200, replicas, origin)) {
            timed.add(() -> {
                long start = System.nanoTime();
                StampedeGuard.Read result = read.call();
                latencies.add(System.nanoTime() - start);
                return result;
            });
        }
        List<StampedeGuard.Read> reads = results(fixture.together(timed));

        assertThat(reads).extracting(StampedeGuard.Read::value).containsOnly("origin#1");
        assertThat(TimeUnit.NANOSECONDS.toMillis(latencies.stream().max(Long::compare).orElseThrow()))
                .as("nobody waited for the 1200 ms refresh").isLessThan(600);
        assertServedStale_thenRefreshedOnce(reads, replicas.get(1), origin);
    }

    /** Every read was served stale; one background refresh follows (the warm-up was the first call). */
    private void assertServedStale_thenRefreshedOnce(List<StampedeGuard.Read> reads, StampedeGuard replica,
            CountingLoader origin) {
        assertThat(reads).extracting(StampedeGuard.Read::source).containsOnly(StampedeGuard.Source.STALE);
        await().atMost(Duration.ofSeconds(5)).until(() -> replica.get(key, origin).source() == StampedeGuard.Source.HIT);
        assertThat(origin.calls.get()).as("the first computation plus exactly one refresh").isEqualTo(2);
    }

    @Test
    void swr_aColdKey_hasNothingStaleToServe_soEveryCallerRecomputes() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5));
        StampedeGuard guard = fixture.guard(settings, RecomputeStrategy.SWR);
        CountingLoader origin = new CountingLoader("origin", 300);
        results(fixture.together(reads(40, List.of(guard), origin)));
        assertThat(origin.calls.get()).as("swr alone does not protect a cold key").isGreaterThanOrEqualTo(30);
    }

    @Test
    void lockSwr_aColdKey_isRecomputedOnce_andAnExpiredOne_isServedStaleWithOneRefresh() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(5));
        List<StampedeGuard> replicas = List.of(fixture.guard(settings, RecomputeStrategy.LOCK_SWR),
                fixture.guard(settings, RecomputeStrategy.LOCK_SWR));
        CountingLoader origin = new CountingLoader("origin", 200);
        results(fixture.together(reads(100, replicas, origin)));
        assertThat(origin.calls.get()).as("cold: the lock").isEqualTo(1);

        Thread.sleep(600);
        assertServedStale_thenRefreshedOnce(results(fixture.together(reads(100, replicas, origin))), replicas.get(0),
                origin);
    }

    @Test
    void xfetch_steadyReads_recomputeBeforeTheExpiry_soNoReadEverMisses() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofMillis(1000), Duration.ofSeconds(5), Duration.ofSeconds(5));
        StampedeGuard guard = fixture.guard(settings, RecomputeStrategy.XFETCH);
        CountingLoader origin = new CountingLoader("origin", 100); // δ ≈ 100 ms
        guard.get(key, origin);
        List<StampedeGuard.Read> reads = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        while (System.nanoTime() < end) {
            reads.add(guard.get(key, origin));
            Thread.sleep(10);
        }
        Map<StampedeGuard.Source, Long> sources = bySource(reads);
        assertThat(sources).as("2.5 TTLs of steady reads: early recomputes, no miss")
                .containsKey(StampedeGuard.Source.EARLY).doesNotContainKey(StampedeGuard.Source.MISS);
        assertThat(guard.recentRecomputes()).filteredOn(r -> r.trigger() == StampedeGuard.Trigger.EARLY)
                .allSatisfy(r -> assertThat(r.at()).as("before the old value expired").isLessThan(r.previousExpiresAt()));
    }

    @Test
    void xfetch_aBurstArrivingAfterTheExpiry_isNotProtected() throws Exception {
        StampedeGuard.Settings settings = settings(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(5));
        StampedeGuard guard = fixture.guard(settings, RecomputeStrategy.XFETCH);
        CountingLoader origin = new CountingLoader("origin", 200);
        guard.get(key, origin);
        Thread.sleep(300); // nobody read it before the expiry, so nothing recomputed it early
        results(fixture.together(reads(40, List.of(guard), origin)));
        assertThat(origin.calls.get() - 1).as("a burst after the expiry stampedes as with none")
                .isGreaterThanOrEqualTo(30);
    }

    @Test
    void evict_removesTheKeyAndItsLock() {
        StampedeGuard.Settings settings = settings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5));
        StampedeGuard guard = fixture.guard(settings, RecomputeStrategy.LOCK);
        guard.get(key, () -> "v");
        assertThat(guard.peek(key)).isNotNull();
        guard.evict(key);
        assertThat(guard.peek(key)).isNull();
        assertThat(guard.recentRecomputes()).isEmpty();
    }
}
