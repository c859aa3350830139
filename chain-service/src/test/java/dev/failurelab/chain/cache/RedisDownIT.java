package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Redis goes down under the guard and comes back. This test stops and restarts the server, so it
 * always runs its own embedded redis-server rather than a shared one.
 */
class RedisDownIT {

    private RedisServer server;
    private GuardFixture fixture;

    @AfterEach
    void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static RedisServer redisOn(int port) throws IOException {
        RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        return redis;
    }

    @Test
    void redisDown_readsKeepAnswering_withAtMostOneRecomputePerReplica_andGoBackToRedisWhenItReturns()
            throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        server = redisOn(port);
        fixture = new GuardFixture("redis://127.0.0.1:" + port);
        StampedeGuard.Settings settings = new StampedeGuard.Settings(Duration.ofMillis(800), Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(2), 1.0);
        List<StampedeGuard> replicas = List.of(fixture.guard(settings, RecomputeStrategy.LOCK_SWR),
                fixture.guard(settings, RecomputeStrategy.LOCK_SWR));
        AtomicInteger calls = new AtomicInteger();
        StampedeGuard.Loader origin = () -> {
            calls.incrementAndGet();
            Thread.sleep(200);
            return "v" + calls.get();
        };
        String key = GuardFixture.uniqueKey();
        for (StampedeGuard replica : replicas) {
            replica.get(key, origin); // each replica has seen the value
        }
        assertThat(calls.get()).isEqualTo(1);

        server.stop();
        List<StampedeGuard.Read> whileFresh = fire(replicas, key, origin, 100);
        assertThat(whileFresh).extracting(StampedeGuard.Read::source).containsOnly(StampedeGuard.Source.FALLBACK);
        assertThat(calls.get()).as("still fresh: served from the last value each replica saw").isEqualTo(1);

        Thread.sleep(900); // expired; Redis still down
        List<StampedeGuard.Read> afterExpiry = fire(replicas, key, origin, 200);
        assertThat(afterExpiry).extracting(StampedeGuard.Read::source).containsOnly(StampedeGuard.Source.FALLBACK);
        assertThat(calls.get() - 1).as("a single-flight recompute per replica, not one per caller").isEqualTo(2);

        server = redisOn(port);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                replicas.get(0).get(key, origin).source() != StampedeGuard.Source.FALLBACK);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                replicas.get(1).get(key, origin).source() != StampedeGuard.Source.FALLBACK);
        assertThat(replicas.get(1).peek(key)).as("values are stored in Redis again").isNotNull();
    }

    private List<StampedeGuard.Read> fire(List<StampedeGuard> replicas, String key, StampedeGuard.Loader origin,
            int count) throws Exception {
        List<StampedeGuard.Read> reads = new ArrayList<>();
        long start = System.nanoTime();
        for (Future<StampedeGuard.Read> future : fixture.together(GuardFixture.reads(count, replicas, key, origin))) {
            reads.add(future.get(10, TimeUnit.SECONDS));
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no read hangs on a dead Redis")
                .isLessThan(3000);
        return reads;
    }
}
