package dev.failurelab.lab.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenLoopLoadGeneratorTest {

    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicLong delayMillis = new AtomicLong();
    /** The request (1-based, as the server receives them) that stalls 600 ms; 0: none. */
    private final AtomicInteger stallAt = new AtomicInteger();
    private OpenLoopLoadGenerator generator;
    private URI target;
    /** Per request received: when, its X-Deadline (-1: none), its priority (1 batch, 0 live, -1 none). */
    private final java.util.List<long[]> headers = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private static long parse(String header) {
        return header == null ? -1 : Long.parseLong(header);
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        // One handler thread: a stall in one request holds up every request behind it.
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/", exchange -> {
            int number = received.incrementAndGet();
            headers.add(new long[] {System.currentTimeMillis(),
                    parse(exchange.getRequestHeaders().getFirst("X-Deadline")),
                    "batch".equals(exchange.getRequestHeaders().getFirst("X-Priority")) ? 1
                            : "live".equals(exchange.getRequestHeaders().getFirst("X-Priority")) ? 0 : -1});
            try {
                if (number == stallAt.get()) {
                    Thread.sleep(600);
                }
                Thread.sleep(delayMillis.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = exchange.getRequestURI().getPath().startsWith("/fail") ? 503 : 200;
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        generator = new OpenLoopLoadGenerator();
    }

    @AfterEach
    void stop() {
        generator.close();
        server.stop(0);
    }

    @Test
    void run_stampsEachRequestWithItsDeadline_andSpreadsTheBatchShare() throws InterruptedException {
        LoadResult result = generator.run(LoadSpec.of(target, 100, Duration.ofSeconds(1)).withTimeout(Duration.ofMillis(700))
                .withHeaders(RequestHeaders.deadline(Duration.ofMillis(700)).and(RequestHeaders.priorities(0.1))));

        assertThat(result.sent()).isEqualTo(100);
        java.util.List<long[]> counted = headers.subList(1, headers.size()); // the primer has none
        assertThat(counted).hasSize(100);
        assertThat(counted).as("each deadline is its intended send time plus the 700 ms timeout: at most 700 ms"
                + " after it arrived, and still ahead of it").allMatch(h -> h[1] - h[0] > 0 && h[1] - h[0] <= 700);
        assertThat(counted.stream().filter(h -> h[2] == 1).count()).as("batch: 10% exactly").isEqualTo(10);
        assertThat(counted.stream().filter(h -> h[2] == 0).count()).isEqualTo(90);
        assertThat(headers.get(0)[1]).as("the primer carries no headers").isEqualTo(-1);
    }

    @Test
    void run_followsARateSchedule_stepAfterStep() throws InterruptedException {
        LoadTimeline timeline = new LoadTimeline(System.nanoTime());
        LoadSpec spec = LoadSpec.stepped(target, java.util.List.of(new LoadSpec.Step(50, Duration.ofSeconds(1)),
                new LoadSpec.Step(150, Duration.ofSeconds(1)), new LoadSpec.Step(20, Duration.ofSeconds(1))));
        assertThat(spec.meanRate()).isCloseTo(220 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        LoadResult result = generator.run(spec, timeline);

        assertThat(result.sent()).isEqualTo(220);
        assertThat(timeline.sample(0).sent() + timeline.sample(1).sent() + timeline.sample(2).sent()).isEqualTo(220);
        assertThat(timeline.sample(1).sent()).as("the second step's 150 (give or take a send at its edges)")
                .isBetween(140L, 160L);
        assertThat(timeline.sample(2).sent()).isBetween(15L, 25L);
    }

    @Test
    void run_sendsAtTheTargetRate() throws InterruptedException {
        LoadResult result = generator.run(LoadSpec.of(target, 200, Duration.ofSeconds(2)));

        assertThat(result.sent()).as("requests planned for 2 s at 200/s").isBetween(395L, 400L);
        assertThat(result.achievedRate()).as("achieved rate").isCloseTo(200.0, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(result.succeeded()).as("every request answered 200").isEqualTo(result.sent());
        assertThat(received.get()).as("the server saw every request, and the one uncounted primer sent before the clock")
                .isEqualTo((int) result.sent() + 1);
    }

    @Test
    void run_keepsSendingWhileTheServerStalls_andChargesTheStallToEveryDelayedRequest() throws InterruptedException {
        stallAt.set(2); // the first counted request: the primer is the first the server sees

        LoadResult result = generator.run(LoadSpec.of(target, 100, Duration.ofSeconds(2)));

        // A closed-loop client would have waited and recorded one slow request; an open loop keeps
        // its schedule, so every request that arrived during the 600 ms stall waited behind it.
        assertThat(result.sent()).as("the schedule did not slow down").isBetween(195L, 200L);
        long delayedByStall = result.latency().getCountBetweenValues(200_000, Long.MAX_VALUE);
        assertThat(delayedByStall).as("requests that waited 200 ms or more behind the stall").isGreaterThanOrEqualTo(20);
        assertThat(result.latencyMillis(99)).as("p99 shows the stall").isGreaterThanOrEqualTo(200);
    }

    @Test
    void run_countsFailuresAndTimeoutsApart() throws InterruptedException {
        LoadResult failures = generator.run(LoadSpec.of(target.resolve("/fail"), 100, Duration.ofMillis(500)));
        assertThat(failures.failed()).as("503 answers").isEqualTo(failures.sent());
        assertThat(failures.statuses()).containsOnlyKeys(503);
        assertThat(failures.failureRatio()).isEqualTo(1.0);

        delayMillis.set(1_000);
        LoadResult slow = generator.run(LoadSpec.of(target, 20, Duration.ofMillis(250)).withTimeout(Duration.ofMillis(200)));
        assertThat(slow.timeouts()).as("answers later than the timeout").isEqualTo(slow.sent());
        assertThat(slow.succeeded()).isZero();
    }

    @Test
    void run_dropsArrivalsBeyondTheOutstandingBound_insteadOfWaiting() throws InterruptedException {
        delayMillis.set(300);
        LoadSpec spec = new LoadSpec(java.util.List.of(target), 100, Duration.ofSeconds(1), 100, Duration.ofSeconds(5), 5);

        LoadResult result = generator.run(spec);

        assertThat(result.sent() + result.dropped()).as("every arrival is sent or dropped").isEqualTo(100);
        assertThat(result.dropped()).as("arrivals past 5 outstanding").isGreaterThan(50);
    }

    @Test
    void burst_everyRequestCompletesAtTheInstant_roundRobinOverItsTargets() throws Exception {
        java.util.Map<String, AtomicInteger> byPath = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<Long> arrivals = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        server.createContext("/a", exchange -> count(exchange, byPath, arrivals));
        server.createContext("/b", exchange -> count(exchange, byPath, arrivals));
        server.createContext("/fail", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        java.time.Instant fireAt = java.time.Instant.now().plusMillis(1500);

        LoadResult result = generator.burst(new BurstSpec(java.util.List.of(target.resolve("/a"), target.resolve("/b"),
                target.resolve("/fail")), 300, fireAt, Duration.ofSeconds(10)));

        assertThat(result.sent()).isEqualTo(300);
        assertThat(result.succeeded()).isEqualTo(200);
        assertThat(result.statuses()).containsEntry(200, 200L).containsEntry(503, 100L);
        assertThat(byPath.get("/a").get()).isEqualTo(100);
        assertThat(byPath.get("/b").get()).isEqualTo(100);
        long firstArrival = arrivals.stream().min(Long::compare).orElseThrow();
        assertThat(firstArrival).as("no request was complete before the instant")
                .isGreaterThanOrEqualTo(fireAt.toEpochMilli() - 5);
        assertThat(result.sendSeconds()).as("every last byte went out within a fraction of a second").isLessThan(0.5);
    }

    @Test
    void burst_aTargetThatRefuses_isCountedAsConnectionErrors_notLost() throws Exception {
        java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = closed.getLocalPort();
        closed.close();
        LoadResult result = generator.burst(BurstSpec.now(java.util.List.of(target.resolve("/a"),
                URI.create("http://127.0.0.1:" + port + "/")), 20, Duration.ofSeconds(5)));
        assertThat(result.sent()).isEqualTo(20);
        assertThat(result.connectErrors()).isEqualTo(10);
        assertThat(result.succeeded() + result.failed()).isEqualTo(10);
    }

    private static void count(com.sun.net.httpserver.HttpExchange exchange,
            java.util.Map<String, AtomicInteger> byPath, java.util.List<Long> arrivals) throws IOException {
        arrivals.add(System.currentTimeMillis());
        byPath.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    @Test
    void statusOf_readsTheStatusLine() {
        assertThat(OpenLoopLoadGenerator.statusOf("HTTP/1.1 503 Servi")).isEqualTo(503);
        assertThat(OpenLoopLoadGenerator.statusOf("HTTP/1.1 2")).isZero();
        assertThat(OpenLoopLoadGenerator.statusOf("garbage")).isZero();
    }

    @Test
    void spec_rejectsBadInput_namingTheParameter() {
        assertThatThrownBy(() -> LoadSpec.of(target, 0, Duration.ofSeconds(1)))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> LoadSpec.of(target, 10, Duration.ZERO))
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> LoadSpec.of(URI.create("ftp://x/"), 10, Duration.ofSeconds(1)))
                .hasMessageContaining("target");
        assertThatThrownBy(() -> BurstSpec.now(java.util.List.of(), 10, Duration.ofSeconds(1)))
                .hasMessageContaining("targets");
        assertThatThrownBy(() -> BurstSpec.now(java.util.List.of(target), 0, Duration.ofSeconds(1)))
                .hasMessageContaining("count");
        assertThatThrownBy(() -> BurstSpec.now(java.util.List.of(URI.create("https://x/")), 1, Duration.ofSeconds(1)))
                .hasMessageContaining("http URL");
    }
}
