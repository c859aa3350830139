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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenLoopLoadGeneratorTest {

    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicLong delayMillis = new AtomicLong();
    private final AtomicBoolean stallOnce = new AtomicBoolean();
    private OpenLoopLoadGenerator generator;
    private URI target;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        // One handler thread: a stall in one request holds up every request behind it.
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/", exchange -> {
            received.incrementAndGet();
            try {
                if (stallOnce.compareAndSet(true, false)) {
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
    void run_sendsAtTheTargetRate() throws InterruptedException {
        LoadResult result = generator.run(LoadSpec.of(target, 200, Duration.ofSeconds(2)));

        assertThat(result.sent()).as("requests planned for 2 s at 200/s").isBetween(395L, 400L);
        assertThat(result.achievedRate()).as("achieved rate").isCloseTo(200.0, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(result.succeeded()).as("every request answered 200").isEqualTo(result.sent());
        assertThat(received.get()).as("the server saw every request").isEqualTo((int) result.sent());
    }

    @Test
    void run_keepsSendingWhileTheServerStalls_andChargesTheStallToEveryDelayedRequest() throws InterruptedException {
        stallOnce.set(true);

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
        LoadSpec spec = new LoadSpec(target, 100, Duration.ofSeconds(1), 100, Duration.ofSeconds(5), 5);

        LoadResult result = generator.run(spec);

        assertThat(result.sent() + result.dropped()).as("every arrival is sent or dropped").isEqualTo(100);
        assertThat(result.dropped()).as("arrivals past 5 outstanding").isGreaterThan(50);
    }

    @Test
    void spec_rejectsBadInput_namingTheParameter() {
        assertThatThrownBy(() -> LoadSpec.of(target, 0, Duration.ofSeconds(1)))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> LoadSpec.of(target, 10, Duration.ZERO))
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> LoadSpec.of(URI.create("ftp://x/"), 10, Duration.ofSeconds(1)))
                .hasMessageContaining("target");
    }
}
