package dev.failurelab.exercise.stampede;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.cache.RecomputeLock;
import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.lab.infra.Infrastructure;
import dev.failurelab.lab.infra.ResolvedServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.2, unit-level checks of your recompute lock ({@link MyRecomputeLock}) against a real
 * Redis (started here, or {@code LAB_REDIS_URL}), in a few seconds:
 * {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL with what it
 * measured and a hint. Another class runs with {@code -Dexercise.recompute-lock=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class RecomputeLockExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.recompute-lock";

    private static ResolvedServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void startRedis() {
        server = Infrastructure.redisForTests(System.getenv());
        client = RedisClient.create(server.url());
        connection = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown();
        server.close();
    }

    private static RedisCommands<String, String> redis() {
        return connection.sync();
    }

    private static RecomputeLock lock() {
        String implementation = System.getProperty(IMPLEMENTATION, MyRecomputeLock.class.getName());
        return RecomputeLock.factory(implementation).apply(redis());
    }

    private static String lockKey() {
        return "exercise:" + UUID.randomUUID() + ":lock";
    }

    @Test
    @DisplayName("one holder: of 8 callers racing for a lock key, exactly one gets it")
    void oneHolderAtATime() throws Exception {
        RecomputeLock lock = lock();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        int rounds = 20;
        List<Integer> winners = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                String key = lockKey();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<String>>> tries = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    tries.add(callers.submit(() -> {
                        start.await();
                        return lock.tryAcquire(key, Duration.ofSeconds(5));
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<Optional<String>> attempt : tries) {
                    won += attempt.get(10, TimeUnit.SECONDS).isPresent() ? 1 : 0;
                }
                winners.add(won);
            }
        } finally {
            callers.shutdownNow();
        }
        int most = winners.stream().mapToInt(Integer::intValue).max().orElse(0);
        int fewest = winners.stream().mapToInt(Integer::intValue).min().orElse(0);
        assertThat(most).as("up to %d of 8 racing callers got the lock on one key (expected exactly 1).%nHint: take"
                + " the lock only if the key does not exist, in one command: SET key token NX (Lettuce:"
                + " SetArgs.Builder.nx()); a GET then a SET lets two callers both see it free", most).isEqualTo(1);
        assertThat(fewest).as("in some round none of 8 callers got a free lock.%nHint: tryAcquire must succeed"
                + " when nobody holds the key").isEqualTo(1);
    }

    @Test
    @DisplayName("tokens: each acquire gets a token of its own")
    void tokensAreUnique() {
        RecomputeLock lock = lock();
        Set<String> tokens = new HashSet<>();
        int acquired = 0;
        for (int i = 0; i < 50; i++) {
            String key = lockKey();
            Optional<String> token = lock.tryAcquire(key, Duration.ofSeconds(5));
            if (token.isPresent()) {
                acquired++;
                tokens.add(token.get());
                lock.release(key, token.get());
            }
        }
        assertThat(acquired).as("acquired %d of 50 free locks (expected 50)", acquired).isEqualTo(50);
        assertThat(tokens).as("50 acquires gave %d distinct tokens (expected 50).%nHint: the token proves which"
                + " holder a lock belongs to; make it unique per acquire (a random UUID)", tokens.size())
                .hasSize(50).allSatisfy(token -> assertThat(token).isNotBlank());
    }

    @Test
    @DisplayName("release: the holder's release frees the lock for the next caller")
    void releaseFreesTheLock() {
        RecomputeLock lock = lock();
        String key = lockKey();
        String token = lock.tryAcquire(key, Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError(
                "tryAcquire on a free lock returned empty.\nHint: it must succeed when nobody holds the key"));
        boolean released = lock.release(key, token);
        Optional<String> next = lock.tryAcquire(key, Duration.ofSeconds(5));
        assertThat(released).as("release(token) by the holder returned false (expected true)").isTrue();
        assertThat(next).as("after the holder released, the next caller was refused.%nHint: release must delete"
                + " the lock key when it holds the caller's token").isPresent();
    }

    @Test
    @DisplayName("expiry: a holder that died blocks the others only until the TTL")
    void aDeadHoldersLockExpires() throws Exception {
        RecomputeLock lock = lock();
        String key = lockKey();
        lock.tryAcquire(key, Duration.ofMillis(300)).orElseThrow(() -> new AssertionError(
                "tryAcquire on a free lock returned empty.\nHint: it must succeed when nobody holds the key"));
        long ttl = redis().pttl(key);
        Thread.sleep(600);
        Optional<String> after = lock.tryAcquire(key, Duration.ofSeconds(5));
        assertThat(ttl).as("the lock key's TTL right after tryAcquire(ttl 300 ms) was %d ms (expected 1..300;"
                + " -1 means none).%nHint: set the expiry in the same command that takes the lock: SET key token NX"
                + " PX ttl (SetArgs.Builder.nx().px(ttl.toMillis())); a holder that dies never releases", ttl)
                .isBetween(1L, 300L);
        assertThat(after).as("600 ms after a holder took the lock for 300 ms and died, another caller was refused."
                + "%nHint: the lock must expire after its TTL, or a dead holder blocks the recompute forever").isPresent();
    }

    @Test
    @DisplayName("compare-and-delete: a holder whose lock expired must not release the next holder's")
    void aLateReleaseLeavesTheNewHolder() throws Exception {
        RecomputeLock lock = lock();
        String key = lockKey();
        String late = lock.tryAcquire(key, Duration.ofMillis(200)).orElseThrow(() -> new AssertionError(
                "tryAcquire on a free lock returned empty.\nHint: it must succeed when nobody holds the key"));
        Thread.sleep(400);
        String current = lock.tryAcquire(key, Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError(
                "400 ms after a 200 ms lock, tryAcquire was refused.\nHint: the lock must expire after its TTL (PX)"));
        boolean lateReleased = lock.release(key, late);
        Optional<String> third = lock.tryAcquire(key, Duration.ofSeconds(5));
        assertThat(third).as("after a holder whose lock had expired called release, a third caller got the lock"
                + " the second still holds (two recomputes at once).%nHint: a plain DEL deletes whoever's lock is"
                + " there; delete only if the key still holds your token, in one step: a Lua script, GET then DEL"
                + " inside it (redis.eval)").isEmpty();
        assertThat(lateReleased).as("release by the holder whose lock expired returned true (expected false: it"
                + " no longer held the lock)").isFalse();
        assertThat(lock.release(key, current)).as("the current holder's release returned false").isTrue();
    }

    @Test
    @DisplayName("extend: only the holder extends its lock")
    void onlyTheHolderExtends() {
        RecomputeLock lock = lock();
        String key = lockKey();
        String token = lock.tryAcquire(key, Duration.ofMillis(500)).orElseThrow(() -> new AssertionError(
                "tryAcquire on a free lock returned empty.\nHint: it must succeed when nobody holds the key"));
        boolean stranger = lock.extend(key, "not-the-token", Duration.ofSeconds(30));
        long afterStranger = redis().pttl(key);
        boolean holder = lock.extend(key, token, Duration.ofSeconds(10));
        long afterHolder = redis().pttl(key);
        assertThat(stranger).as("extend with a token that does not hold the lock returned true (expected false)")
                .isFalse();
        assertThat(afterStranger).as("a stranger's extend left the lock's TTL at %d ms (expected <= 500).%nHint:"
                + " extend only if the key still holds the caller's token (Lua: GET, then PEXPIRE)", afterStranger)
                .isLessThanOrEqualTo(500L);
        assertThat(holder).as("the holder's extend returned false (expected true)").isTrue();
        assertThat(afterHolder).as("after the holder extended to 10 s, the lock's TTL is %d ms (expected 500..10000)"
                + ".%nHint: PEXPIRE key ttl, when the key holds the token; a long recompute keeps its lock this way",
                afterHolder).isBetween(501L, 10_000L);
    }
}
