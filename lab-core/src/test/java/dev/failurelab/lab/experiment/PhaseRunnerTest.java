package dev.failurelab.lab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.failurelab.lab.load.BurstSpec;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The experiment loop against a real HTTP server that counts what it receives and exports it. */
class PhaseRunnerTest {

    private HttpServer server;
    private final AtomicLong received = new AtomicLong();
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/work", exchange -> answer(exchange, "ok", received.incrementAndGet()));
        server.createContext("/metrics", exchange -> answer(exchange,
                "# TYPE demo_requests_total counter\ndemo_requests_total{path=\"/work\"} " + received.get() + "\n", 0));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body, long ignored)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void run_startsEachPhaseOnce_inOrder_andReportsEverySecondWithItsFigures() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        List<SecondRecord> reported = new ArrayList<>();
        List<Phase> phases = List.of(new Phase("baseline", Duration.ofSeconds(2), () -> started.add("baseline")),
                new Phase("fault", Duration.ofSeconds(1), () -> started.add("fault")),
                new Phase("observe", Duration.ofSeconds(2), () -> started.add("observe")));
        PhaseRunner.Run run;
        try (PhaseRunner runner = new PhaseRunner(Map.of("server", base.resolve("/metrics")))) {
            run = runner.run(new PhaseRunner.SteadyLoad(base.resolve("/work"), 50, Duration.ofSeconds(2)),
                    (previous, current, load) -> Map.of("server_rps", MetricSnapshot.increase(previous.get("server"),
                            current.get("server"), "demo_requests_total", Map.of()), "sent", (double) load.sent()),
                    phases, reported::add);
        }

        assertThat(started).containsExactly("baseline", "fault", "observe");
        assertThat(run.seconds()).isEqualTo(reported);
        assertThat(run.seconds()).extracting(s -> s.second() + ":" + s.phase() + ":" + s.phaseSecond())
                .containsExactly("1:baseline:1", "2:baseline:2", "3:fault:1", "4:observe:1", "5:observe:2");
        assertThat(run.phase("observe")).hasSize(2);
        double sent = run.seconds().stream().mapToDouble(s -> s.figure("sent")).sum();
        double seen = run.seconds().stream().mapToDouble(s -> s.figure("server_rps")).sum();
        assertThat(sent).as("50 req/s for 5 s, open loop").isBetween(240.0, 251.0);
        assertThat(seen).as("what the server's own counter saw, scraped each second").isBetween(sent - 15, sent + 1);
        assertThat(run.seconds().get(0).figure("missing")).isNaN();
    }

    @Test
    void burst_scrapesJustBefore_andOnceEveryAnswerIsIn() throws Exception {
        try (PhaseRunner runner = new PhaseRunner(Map.of("server", base.resolve("/metrics")))) {
            PhaseRunner.Burst burst = runner.burst(BurstSpec.now(List.of(base.resolve("/work")), 40,
                    Duration.ofSeconds(5)));
            assertThat(burst.result().succeeded()).isEqualTo(40);
            assertThat(MetricSnapshot.increase(burst.before(), burst.after(), "demo_requests_total", Map.of()))
                    .as("the scrapes bracket the burst exactly").isEqualTo(40);
        }
    }

    @Test
    void increase_isNaNWhenAScrapeFailed_andNeverNegative() {
        MetricSnapshot one = new MetricSnapshot(Map.of("c", List.of(new MetricSnapshot.Sample(Map.of(), 5))));
        MetricSnapshot two = new MetricSnapshot(Map.of("c", List.of(new MetricSnapshot.Sample(Map.of(), 3))));
        assertThat(MetricSnapshot.increase(one, MetricSnapshot.EMPTY, "c", Map.of())).isNaN();
        assertThat(MetricSnapshot.increase(null, one, "c", Map.of())).isNaN();
        assertThat(MetricSnapshot.increase(one, two, "c", Map.of())).as("a restarted counter").isZero();
        assertThat(MetricSnapshot.increase(two, one, "c", Map.of())).isEqualTo(2);
    }
}
