package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each recompute strategy and the store-down fallback, against an in-memory {@link CacheStore}
 * shared by guards that play replicas: no Redis. (StampedeGuardIT runs them over a real Redis.)
 */
class ReadStrategiesTest {

    private static final String KEY = "hot";
    private final InMemoryCacheStore store = new InMemoryCacheStore();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<StampedeGuard> guards = new ArrayList<>();

    /** Counts its calls; each takes {@code millis}. */
    private static final class Origin implements StampedeGuard.Loader {
        final AtomicInteger calls = new AtomicInteger();
        final long millis;

        Origin(long millis) {
            this.millis = millis;
        }

        @Override
        public String load() throws Exception {
            int n = calls.incrementAndGet();
            Thread.sleep(millis);
            return "value-" + n;
        }
    }

    private StampedeGuard guard(RecomputeStrategy strategy, double random, CacheListener listener) {
        StampedeGuard guard = new StampedeGuard(store, new StampedeGuard.Settings(Duration.ofMillis(400),
                Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 1.0), strategy,
                System::currentTimeMillis, () -> random, listener);
        guards.add(guard);
        return guard;
    }

    private StampedeGuard guard(RecomputeStrategy strategy) {
        return guard(strategy, 0.5, CacheListener.NONE);
    }

    @AfterEach
    void close() {
        guards.forEach(StampedeGuard::close);
        threads.shutdownNow();
    }

    /** {@code count} reads at once, spread over {@code replicas}. */
    private List<StampedeGuard.Read> burst(int count, List<StampedeGuard> replicas, StampedeGuard.Loader origin)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(count);
        List<Future<StampedeGuard.Read>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StampedeGuard guard = replicas.get(i % replicas.size());
            Callable<StampedeGuard.Read> read = () -> {
                start.await(10, TimeUnit.SECONDS);
                return guard.get(KEY, origin);
            };
            futures.add(threads.submit(read));
        }
        List<StampedeGuard.Read> reads = new ArrayList<>();
        for (Future<StampedeGuard.Read> future : futures) {
            reads.add(future.get(20, TimeUnit.SECONDS));
        }
        return reads;
    }

    private static Map<StampedeGuard.Source, Long> bySource(List<StampedeGuard.Read> reads) {
        return reads.stream().collect(Collectors.groupingBy(StampedeGuard.Read::source, Collectors.counting()));
    }

    @Test
    void none_everyCallerThatFindsTheKeyMissingRecomputes() throws Exception {
        Origin origin = new Origin(100);
        List<StampedeGuard.Read> reads = burst(20, List.of(guard(RecomputeStrategy.NONE), guard(RecomputeStrategy.NONE)),
                origin);
        assertThat(origin.calls.get()).as("the stampede: many recomputes for one miss").isGreaterThan(5);
        assertThat(bySource(reads).get(StampedeGuard.Source.MISS)).isEqualTo(origin.calls.get());
        assertThat(guards.get(0).get(KEY, origin).source()).as("then it is stored").isEqualTo(StampedeGuard.Source.HIT);
    }

    @Test
    void lock_oneRecomputeAcrossReplicas_theOthersWaitForItsValue() throws Exception {
        Origin origin = new Origin(150);
        List<StampedeGuard.Read> reads = burst(60, List.of(guard(RecomputeStrategy.LOCK), guard(RecomputeStrategy.LOCK),
                guard(RecomputeStrategy.LOCK)), origin);
        assertThat(origin.calls.get()).isEqualTo(1);
        assertThat(bySource(reads)).containsEntry(StampedeGuard.Source.MISS, 1L);
        assertThat(reads).extracting(StampedeGuard.Read::value).containsOnly("value-1");
        assertThat(store.lockHolder(KEY)).as("the lock is released").isEmpty();
    }

    @Test
    void lock_aHolderThatDies_blocksOthersOnlyUntilItsLockExpires() throws Exception {
        store.tryLock(KEY, Duration.ofMillis(600)); // a replica took the lock and died
        Origin origin = new Origin(10);
        long started = System.nanoTime();
        StampedeGuard.Read read = guard(RecomputeStrategy.LOCK).get(KEY, origin);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(read.source()).isEqualTo(StampedeGuard.Source.MISS);
        assertThat(waitedMs).as("waited for the dead holder's TTL, not the 3 s wait timeout").isBetween(500L, 2500L);
    }

    @Test
    void lock_aRecomputeLongerThanTheLockTtl_staysTheOnlyOne_whileItsHolderLives() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StampedeGuard.Settings settings = new StampedeGuard.Settings(Duration.ofSeconds(30), Duration.ofMinutes(1),
                Duration.ofMillis(300), Duration.ofSeconds(5), 1.0, Duration.ofSeconds(10));
        List<StampedeGuard> replicas = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            StampedeGuard guard = new StampedeGuard(store, settings, RecomputeStrategy.LOCK, System::currentTimeMillis,
                    () -> 0.5, new CacheMeters(registry));
            guards.add(guard);
            replicas.add(guard);
        }
        Origin origin = new Origin(900); // three lock TTLs
        List<StampedeGuard.Read> reads = burst(20, replicas, origin);
        assertThat(origin.calls.get()).as("one recompute across both replicas").isEqualTo(1);
        assertThat(registry.get("chain.cache.lock.lost").counter().count()).as("lost locks").isZero();
        assertThat(reads).extracting(StampedeGuard.Read::value).containsOnly("value-1");
    }

    @Test
    void lock_aHolderThatDiesMidRecompute_stopsRenewing_andAnotherReplicaRecomputesAfterTheTtl() throws Exception {
        StampedeGuard.Settings settings = new StampedeGuard.Settings(Duration.ofSeconds(30), Duration.ofMinutes(1),
                Duration.ofMillis(400), Duration.ofSeconds(5), 1.0, Duration.ofSeconds(10));
        StampedeGuard dying = new StampedeGuard(store, settings, RecomputeStrategy.LOCK, System::currentTimeMillis,
                () -> 0.5, CacheListener.NONE);
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        threads.submit(() -> dying.get(KEY, () -> {
            stuck.await(); // its process is about to die mid-recompute
            return "never stored";
        }));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> store.lockHolder(KEY).isPresent());
        Thread.sleep(800); // two TTLs: a live holder keeps its lock by renewing it
        assertThat(store.lockHolder(KEY)).as("renewed while alive").isPresent();
        dying.close(); // the JVM dies: no more renewals

        StampedeGuard survivor = guard(RecomputeStrategy.LOCK);
        Origin origin = new Origin(10);
        long start = System.nanoTime();
        StampedeGuard.Read read = survivor.get(KEY, origin);
        assertThat(read.source()).isEqualTo(StampedeGuard.Source.MISS);
        assertThat(origin.calls.get()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("after about one TTL")
                .isLessThan(Duration.ofMillis(2500));
        stuck.countDown();
    }

    @Test
    void lock_aHolderThatLostItsLock_storesItsValueOnlyIfNewer() {
        Recomputer recomputer = new Recomputer(store, new StampedeGuard.Settings(Duration.ofSeconds(30),
                Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 1.0), System::currentTimeMillis,
                CacheListener.NONE);
        String lost = store.tryLock(KEY, Duration.ofSeconds(2)).orElseThrow();
        store.delete(KEY); // its lock expired and nobody stored meanwhile
        CacheEntry mine = recomputer.recomputeUnderLock(KEY, lost, () -> "mine", null);
        assertThat(store.get(KEY).value()).as("a finished recompute is kept").isEqualTo("mine");

        String late = store.tryLock(KEY, Duration.ofSeconds(2)).orElseThrow();
        store.delete(KEY);
        store.put(KEY, new CacheEntry("newer", mine.computedAt() + 60_000, mine.computedAt() + 90_000, 1),
                Duration.ofMinutes(1));
        recomputer.recomputeUnderLock(KEY, late, () -> "older", null);
        assertThat(store.get(KEY).value()).as("never over a newer value").isEqualTo("newer");
    }

    @Test
    void xfetch_recomputesEarlyWhenTheDrawSaysSo_andServesTheHitOtherwise() throws Exception {
        Origin origin = new Origin(1);
        StampedeGuard calm = guard(RecomputeStrategy.XFETCH, 0.0, CacheListener.NONE); // u = 1: ln u = 0, never early
        assertThat(calm.get(KEY, origin).source()).isEqualTo(StampedeGuard.Source.MISS);
        assertThat(calm.get(KEY, origin).source()).isEqualTo(StampedeGuard.Source.HIT);
        StampedeGuard eager = guard(RecomputeStrategy.XFETCH, 1.0 - 1e-300, CacheListener.NONE); // u tiny: always early
        assertThat(eager.get(KEY, origin).source()).isEqualTo(StampedeGuard.Source.EARLY);
        assertThat(origin.calls.get()).isEqualTo(2);
    }

    @Test
    void swr_servesTheStaleValue_whileOneBackgroundRefreshRuns() throws Exception {
        Origin origin = new Origin(200);
        StampedeGuard replica = guard(RecomputeStrategy.SWR);
        assertThat(replica.get(KEY, origin).source()).isEqualTo(StampedeGuard.Source.MISS);
        Thread.sleep(450); // expired, still in the store for the stale window
        List<StampedeGuard.Read> reads = burst(30, List.of(replica, guard(RecomputeStrategy.SWR)), origin);
        assertThat(bySource(reads)).containsOnlyKeys(StampedeGuard.Source.STALE);
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> origin.calls.get() == 2
                && replica.get(KEY, origin).source() == StampedeGuard.Source.HIT);
        assertThat(origin.calls.get()).as("one refresh across both replicas").isEqualTo(2);
    }

    @Test
    void lockSwr_withNothingStale_takesTheLock() throws Exception {
        Origin origin = new Origin(100);
        List<StampedeGuard.Read> reads = burst(20, List.of(guard(RecomputeStrategy.LOCK_SWR),
                guard(RecomputeStrategy.LOCK_SWR)), origin);
        assertThat(origin.calls.get()).isEqualTo(1);
        assertThat(bySource(reads)).containsEntry(StampedeGuard.Source.MISS, 1L);
    }

    @Test
    void storeDown_fallsBackToTheLastValue_thenToOneRecomputePerReplica() throws Exception {
        Origin origin = new Origin(100);
        StampedeGuard replica = guard(RecomputeStrategy.LOCK);
        replica.get(KEY, origin);
        store.down = true;
        assertThat(replica.get(KEY, origin)).extracting(StampedeGuard.Read::source, StampedeGuard.Read::value)
                .containsExactly(StampedeGuard.Source.FALLBACK, "value-1");
        Thread.sleep(450); // the last value is no longer fresh
        List<StampedeGuard.Read> reads = burst(30, List.of(replica), origin);
        assertThat(bySource(reads)).containsOnlyKeys(StampedeGuard.Source.FALLBACK);
        assertThat(origin.calls.get()).as("one recompute for the JVM, not one per read").isEqualTo(2);
        store.down = false;
        assertThat(replica.get(KEY, origin).source()).as("back to the store when it returns")
                .isNotEqualTo(StampedeGuard.Source.FALLBACK);
    }

    @Test
    void meters_reportWhatTheMechanismDid() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StampedeGuard replica = guard(RecomputeStrategy.LOCK, 0.5, new CacheMeters(registry));
        burst(10, List.of(replica), new Origin(100));
        Function<String, Double> count = result -> registry.get("chain.cache.lock.acquisitions").tag("result", result)
                .counter().count();
        assertThat(count.apply("acquired")).isEqualTo(1);
        assertThat(registry.get("chain.cache.recomputes").tag("trigger", "miss").tag("outcome", "success").timer()
                .count()).isEqualTo(1);
        assertThat(replica.recentRecomputes()).hasSize(1);
    }
}
