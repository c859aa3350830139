package dev.failurelab.lab.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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

/**
 * The closed-loop generator slows down with the system (what hides a storm), and keeps to its
 * rate when the system keeps up; the open-loop one keeps sending whatever the answers do.
 */
class ClosedLoopLoadGeneratorTest {

    private final AtomicLong delayMillis = new AtomicLong();
    private final AtomicInteger hits = new AtomicInteger();
    private HttpServer server;
    private URI target;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            try {
                Thread.sleep(delayMillis.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void whenTheSystemKeepsUp_itSendsAtItsRate() throws Exception {
        LoadResult result = new ClosedLoopLoadGenerator().run(LoadSpec.of(target, 50, Duration.ofSeconds(2)), 5,
                LoadObserver.NONE);
        assertThat(result.sent()).as("50 req/s for 2 s").isBetween(80L, 110L);
        assertThat(result.succeeded()).isEqualTo(result.sent());
    }

    @Test
    void whenTheSystemSlowsDown_soDoesTheLoad_butNotTheOpenLoop() throws Exception {
        delayMillis.set(500);
        LoadResult closed = new ClosedLoopLoadGenerator().run(LoadSpec.of(target, 50, Duration.ofSeconds(2)), 5,
                LoadObserver.NONE);
        // 5 workers, each waiting 500 ms per answer: 10 req/s at most, whatever the rate asked.
        assertThat(closed.sent()).as("closed loop: sends per worker are bounded by the answers")
                .isBetween(10L, 5 * (2000 / 500) + 5L);
        OpenLoopLoadGenerator openLoop = new OpenLoopLoadGenerator();
        LoadResult open;
        try {
            open = openLoop.run(LoadSpec.of(target, 50, Duration.ofSeconds(2)));
        } finally {
            openLoop.close();
        }
        assertThat(open.sent()).as("open loop: 50 req/s for 2 s, answered or not").isBetween(95L, 101L);
        assertThat((double) open.sent() / closed.sent()).as("what the closed loop did not send").isGreaterThan(3);
    }

    @Test
    void badConcurrency_isRefused() {
        assertThatThrownBy(() -> new ClosedLoopLoadGenerator().run(LoadSpec.of(target, 10, Duration.ofSeconds(1)), 0,
                LoadObserver.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency");
    }
}
