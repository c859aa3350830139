package dev.failurelab.chain.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/** The resolver's policies against a scripted server and a hand-moved clock. */
class LabResolverTest {

    private static final InetSocketAddress PRIMARY = new InetSocketAddress("127.0.0.1", 8053);
    private static final InetSocketAddress FALLBACK = new InetSocketAddress("127.0.0.1", 8054);
    private static final InetAddress A = address("127.0.0.1");
    private static final InetAddress B = address("127.0.0.3");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** What each server does next: an answer, or a failure. */
    private final AtomicReference<Behaviour> primary = new AtomicReference<>(Behaviour.answer(A, 5));
    private final AtomicReference<Behaviour> fallback = new AtomicReference<>(Behaviour.answer(B, 5));
    private final AtomicInteger queries = new AtomicInteger();
    private final List<LabResolver.Lookup> lookups = new ArrayList<>();
    private final AtomicReference<LabResolver.StaleMode> staleMode = new AtomicReference<>(LabResolver.StaleMode.OFF);
    private final AtomicBoolean fallbackOn = new AtomicBoolean();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final DnsWire wire = (name, server, timeout) -> {
        queries.incrementAndGet();
        return (server.equals(PRIMARY) ? primary : fallback).get().answer(timeout);
    };

    private LabResolver resolver(Duration cacheTtl, Duration negativeTtl) {
        return new LabResolver(wire, PRIMARY, FALLBACK, new LabResolver.Settings(cacheTtl, negativeTtl,
                Duration.ofMillis(200), Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofSeconds(30)),
                staleMode::get, fallbackOn::get, new RefreshingStalePolicy(), executor, now::get, new LabResolver.Listener() {
                    @Override
                    public synchronized void lookup(LabResolver.Lookup outcome) {
                        lookups.add(outcome);
                    }

                    @Override
                    public void query(String server, LabResolver.Lookup outcome, long nanos) {
                    }
                });
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void keepsAnAnswerForTheRecordsTtl_thenAsksAgain() throws Exception {
        LabResolver resolver = resolver(Duration.ZERO, Duration.ofSeconds(10));
        assertThat(resolver.resolve("bottom.failure-lab.test")).containsExactly(A);
        advance(4_900);
        assertThat(resolver.resolve("BOTTOM.failure-lab.test")).containsExactly(A);
        assertThat(queries).hasValue(1);
        advance(200);
        resolver.resolve("bottom.failure-lab.test");
        assertThat(queries).hasValue(2);
        assertThat(lookups).containsExactly(LabResolver.Lookup.RESOLVED, LabResolver.Lookup.HIT,
                LabResolver.Lookup.RESOLVED);
    }

    @Test
    void aFixedCacheTtlOverridesTheRecords() throws Exception {
        LabResolver resolver = resolver(Duration.ofSeconds(30), Duration.ofSeconds(10));
        resolver.resolve("bottom.failure-lab.test");
        advance(29_000);
        resolver.resolve("bottom.failure-lab.test");
        assertThat(queries).hasValue(1);
    }

    @Test
    void aFailureIsRemembered_forTheNegativeTtl_evenAfterTheServerIsBack() throws Exception {
        LabResolver resolver = resolver(Duration.ZERO, Duration.ofSeconds(10));
        primary.set(Behaviour.rcode(Rcode.SERVFAIL));
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("SERVFAIL");
        primary.set(Behaviour.answer(A, 5));
        advance(9_000);
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).hasMessageContaining("cached failure");
        advance(1_100);
        assertThat(resolver.resolve("bottom.failure-lab.test")).containsExactly(A);
        assertThat(lookups).containsExactly(LabResolver.Lookup.SERVFAIL, LabResolver.Lookup.NEGATIVE,
                LabResolver.Lookup.RESOLVED);
    }

    @Test
    void withoutServeStale_anExpiredAnswerIsGone_whenTheServerFails() throws Exception {
        LabResolver resolver = resolver(Duration.ZERO, Duration.ofSeconds(10));
        resolver.resolve("bottom.failure-lab.test");
        primary.set(Behaviour.rcode(Rcode.NXDOMAIN));
        advance(6_000);
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).hasMessageContaining("NXDOMAIN");
    }

    @Test
    void serveStaleSwitchedOnMidOutage_servesTheLastGoodAnswer_thoughTheFailureWasCached() throws Exception {
        LabResolver resolver = resolver(Duration.ZERO, Duration.ofSeconds(10));
        resolver.resolve("bottom.failure-lab.test");
        primary.set(Behaviour.rcode(Rcode.SERVFAIL));
        advance(6_000);
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).hasMessageContaining("SERVFAIL");
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).hasMessageContaining("cached failure");
        staleMode.set(LabResolver.StaleMode.REFRESH);
        assertThat(resolver.resolve("bottom.failure-lab.test")).as("the runbook's step, mid-outage").containsExactly(A);
        staleMode.set(LabResolver.StaleMode.OFF);
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).hasMessageContaining("cached failure");
    }

    @Test
    void serveStaleRefresh_servesTheExpiredAnswerAtOnce_andRefreshesInTheBackground() throws Exception {
        staleMode.set(LabResolver.StaleMode.REFRESH);
        LabResolver resolver = resolver(Duration.ZERO, Duration.ofSeconds(10));
        resolver.resolve("bottom.failure-lab.test");
        CountDownLatch release = new CountDownLatch(1);
        primary.set(Behaviour.blockedUntil(release, B));
        advance(6_000);
        assertThat(resolver.resolve("bottom.failure-lab.test")).as("stale, without waiting").containsExactly(A);
        release.countDown();
        awaitQueries(2);
        Thread.sleep(50);
        assertThat(resolver.resolve("bottom.failure-lab.test")).as("the refreshed answer").containsExactly(B);
        assertThat(lookups).containsExactly(LabResolver.Lookup.RESOLVED, LabResolver.Lookup.STALE,
                LabResolver.Lookup.HIT);
    }

    @Test
    void serveStale_throughAnOutage_asksAgainOnlyAfterTheRecheckTimer() throws Exception {
        staleMode.set(LabResolver.StaleMode.REFRESH);
        LabResolver resolver = resolver(Duration.ZERO, Duration.ofSeconds(10));
        resolver.resolve("bottom.failure-lab.test");
        primary.set(Behaviour.rcode(Rcode.SERVFAIL));
        advance(6_000);
        for (int i = 0; i < 20; i++) {
            assertThat(resolver.resolve("bottom.failure-lab.test")).containsExactly(A);
            Thread.sleep(5);
        }
        assertThat(queries).as("one failed refresh, then the recheck timer holds").hasValue(2);
        advance(31_000);
        resolver.resolve("bottom.failure-lab.test");
        awaitQueries(3);
    }

    @Test
    void serveStaleOn_waitsTheClientResponseTimer_thenServesStale() throws Exception {
        staleMode.set(LabResolver.StaleMode.ON);
        LabResolver resolver = resolver(Duration.ZERO, Duration.ofSeconds(10));
        resolver.resolve("bottom.failure-lab.test");
        primary.set(Behaviour.delayed(Duration.ofMillis(150), B));
        advance(6_000);
        long start = System.nanoTime();
        assertThat(resolver.resolve("bottom.failure-lab.test")).containsExactly(A);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited the 100 ms timer")
                .isBetween(90L, 149L);
        primary.set(Behaviour.answer(B, 5));
        Thread.sleep(100);
        assertThat(resolver.resolve("bottom.failure-lab.test")).as("the refresh landed").containsExactly(B);
    }

    @Test
    void theFallbackIsAsked_onlyWhenOn_andNeverForNxdomain() throws Exception {
        LabResolver resolver = resolver(Duration.ZERO, Duration.ZERO);
        primary.set(Behaviour.timeout());
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).hasMessageContaining("no answer within");
        fallbackOn.set(true);
        assertThat(resolver.resolve("bottom.failure-lab.test")).containsExactly(B);
        resolver.flush();
        primary.set(Behaviour.rcode(Rcode.NXDOMAIN));
        assertThatThrownBy(() -> resolver.resolve("bottom.failure-lab.test")).hasMessageContaining("NXDOMAIN");
        assertThat(lookups).containsExactly(LabResolver.Lookup.TIMEOUT, LabResolver.Lookup.RESOLVED,
                LabResolver.Lookup.NXDOMAIN);
    }

    @Test
    void concurrentLookupsOfOneName_shareOneQuery() throws Exception {
        LabResolver resolver = resolver(Duration.ZERO, Duration.ZERO);
        CountDownLatch release = new CountDownLatch(1);
        primary.set(Behaviour.blockedUntil(release, A));
        List<java.util.concurrent.Future<InetAddress[]>> results = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                results.add(callers.submit(() -> resolver.resolve("bottom.failure-lab.test")));
            }
            Thread.sleep(100);
            release.countDown();
            for (var result : results) {
                assertThat(result.get(2, TimeUnit.SECONDS)).containsExactly(A);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(queries).hasValue(1);
    }

    @Test
    void anAddressLiteral_isNeverLookedUp() throws Exception {
        assertThat(resolver(Duration.ZERO, Duration.ZERO).resolve("127.0.0.1")).containsExactly(A);
        assertThat(queries).hasValue(0);
    }

    private void awaitQueries(int n) throws InterruptedException {
        for (int i = 0; i < 200 && queries.get() < n; i++) {
            Thread.sleep(5);
        }
        assertThat(queries.get()).isGreaterThanOrEqualTo(n);
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A scripted server. */
    private interface Behaviour {
        DnsWire.Answer answer(Duration timeout) throws IOException;

        static Behaviour answer(InetAddress address, long ttl) {
            return timeout -> new DnsWire.Answer(Rcode.NOERROR, List.of(address), ttl);
        }

        static Behaviour rcode(int rcode) {
            return timeout -> new DnsWire.Answer(rcode, List.of(), 0);
        }

        static Behaviour timeout() {
            return timeout -> {
                throw new SocketTimeoutException("timed out");
            };
        }

        static Behaviour delayed(Duration delay, InetAddress address) {
            return timeout -> {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new DnsWire.Answer(Rcode.NOERROR, List.of(address), 5);
            };
        }

        static Behaviour blockedUntil(CountDownLatch latch, InetAddress address) {
            return timeout -> {
                try {
                    latch.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new DnsWire.Answer(Rcode.NOERROR, List.of(address), 5);
            };
        }
    }
}
