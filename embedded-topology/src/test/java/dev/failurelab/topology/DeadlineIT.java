package dev.failurelab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.DefenceClient;
import dev.failurelab.contract.Defences;
import dev.failurelab.contract.FaultControl;
import dev.failurelab.lab.metrics.MetricSnapshot;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Under {@code budget}, retries stay in one layer even when attempts time out: the deadline is
 * propagated, so the middle's retries end, and its "don't retry" reaches the edge, before the
 * edge's attempt times out; no hop works past its caller's deadline; and a 4xx keeps its meaning.
 */
class DeadlineIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final PrometheusScraper SCRAPER = new PrometheusScraper(Duration.ofSeconds(5));

    @Test
    void slowAndFailingBottom_underBudget_theEdgeMakesOneAttempt_andTheBottomWorksNoPastTheDeadline()
            throws Exception {
        // Both hops give one attempt 1 s and back off 50 ms at first: the middle's three attempts at
        // the slow bottom would take longer than the edge waits, unless the deadline cuts them short.
        try (EmbeddedTopology topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts())
                .property("edge", "chain.client.timeout", "1s").property("middle", "chain.client.timeout", "1s")
                .property("edge", "chain.retry.backoff-base", "50ms").property("edge", "chain.retry.backoff-cap", "1s")
                .property("middle", "chain.retry.backoff-base", "50ms").property("middle", "chain.retry.backoff-cap", "1s")
                .start()) {
            URI edge = topology.url("edge");
            new DefenceClient().switchAll(List.of(topology.management("edge"), topology.management("middle")),
                    Defences.RETRY_POLICY, "budget");
            // Warm the path (the first request pays for connections and the JIT).
            for (int i = 0; i < 5; i++) {
                HTTP.send(HttpRequest.newBuilder(edge.resolve("/api/chain")).build(), HttpResponse.BodyHandlers.discarding());
            }
            FaultControl faults = new FaultControl(topology.controlUrl());
            faults.injectLatency("bottom", Duration.ofMillis(600), Duration.ZERO, Duration.ofSeconds(60));
            faults.injectErrors("bottom", 1.0, 503, Duration.ofSeconds(60));
            Map<String, MetricSnapshot> before = scrape(topology);

            long start = System.nanoTime();
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(edge.resolve("/api/chain"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Thread.sleep(1500); // let every attempt still on its way land and be counted
            Map<String, MetricSnapshot> after = scrape(topology);
            faults.clearAll();

            double edgeAttempts = increase(before, after, "edge", "chain_client_attempts_total", Map.of());
            double middleAttempts = increase(before, after, "middle", "chain_client_attempts_total", Map.of());
            double bottomArrivals = increase(before, after, "bottom", "chain_requests_seconds_count", Map.of());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(edgeAttempts).as("the edge's attempts: the middle's don't-retry arrived in time").isEqualTo(1);
            assertThat(middleAttempts).as("the middle retried within its deadline").isBetween(1.0, 3.0);
            assertThat(bottomArrivals).as("the bottom sees no more than the middle's attempts")
                    .isLessThanOrEqualTo(middleAttempts);
            assertThat(took).as("answered within the edge's 1 s attempt timeout").isLessThan(Duration.ofMillis(1300));
        }
    }

    @Test
    void theBottom_neverWorksPastItsCallersDeadline() throws Exception {
        try (EmbeddedTopology topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts())
                .start()) {
            URI bottom = topology.url("bottom").resolve("/api/chain");
            Map<String, MetricSnapshot> before = Map.of("bottom", SCRAPER.scrape(topology.management("bottom")
                    .resolve("/actuator/prometheus")));
            HttpResponse<String> late = HTTP.send(HttpRequest.newBuilder(bottom)
                    .header("X-Deadline", Long.toString(System.currentTimeMillis() - 1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> inTime = HTTP.send(HttpRequest.newBuilder(bottom)
                    .header("X-Deadline", Long.toString(System.currentTimeMillis() + 5000)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, MetricSnapshot> after = Map.of("bottom", SCRAPER.scrape(topology.management("bottom")
                    .resolve("/actuator/prometheus")));
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(late.body()).contains("deadline_exceeded");
            assertThat(inTime.statusCode()).isEqualTo(200);
            assertThat(increase(before, after, "bottom", "chain_capacity_rejections_total",
                    Map.of("reason", "deadline_exceeded"))).isEqualTo(1);
        }
    }

    @Test
    void aBottomThatRefusesWith429_isA429AtTheEdge_notARetriedBadGateway() throws Exception {
        try (EmbeddedTopology topology = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts())
                .start()) {
            URI edge = topology.url("edge");
            new DefenceClient().switchAll(List.of(topology.management("edge"), topology.management("middle")),
                    Defences.RETRY_POLICY, "naive");
            new AdminHttp().send("POST", topology.controlUrl().resolve("/proxies/bottom/faults"),
                    "{\"type\":\"error\",\"status\":429,\"mode\":\"proxy\",\"ttl\":\"30s\"}");
            Map<String, MetricSnapshot> before = scrape(topology);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(edge.resolve("/api/chain")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, MetricSnapshot> after = scrape(topology);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
            assertThat(answer.body()).contains("\"cause\":\"http_429\"");
            assertThat(increase(before, after, "edge", "chain_client_attempts_total", Map.of()))
                    .as("not retried, even under naive").isEqualTo(1);
            assertThat(increase(before, after, "middle", "chain_client_attempts_total", Map.of())).isEqualTo(1);
        }
    }

    private static Map<String, MetricSnapshot> scrape(EmbeddedTopology topology) {
        Map<String, MetricSnapshot> snapshots = new java.util.HashMap<>();
        for (String app : List.of("edge", "middle", "bottom")) {
            snapshots.put(app, SCRAPER.scrape(topology.management(app).resolve("/actuator/prometheus")));
        }
        return snapshots;
    }

    private static double increase(Map<String, MetricSnapshot> before, Map<String, MetricSnapshot> after, String app,
            String metric, Map<String, String> labels) {
        return MetricSnapshot.increase(before.get(app), after.get(app), metric, labels);
    }
}
