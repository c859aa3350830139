package dev.failurelab.chain.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.TestHttp;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Deadlines;
import dev.failurelab.contract.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The bottom's queue discipline over HTTP: switched live, its bad input refused naming the field,
 * priority partitions shedding batch first, and the queue's meters (sojourn, served by deadline).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=bottom",
        "chain.capacity.max-concurrency=2",
        "chain.capacity.queue-capacity=200",
        "chain.capacity.queue-timeout=10s",
        "chain.capacity.service-time=20ms",
        "chain.shedding.initial-limit=4"})
class QueueDisciplineIT {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry registry;

    @AfterEach
    void back() throws Exception {
        TestHttp.send("PUT", managementPort, "/admin/queue-discipline", "{\"discipline\":\"fifo\"}");
    }

    private HttpResponse<String> discipline(String body) throws Exception {
        return TestHttp.send("PUT", managementPort, "/admin/queue-discipline", body);
    }

    @Test
    void theDiscipline_switchesLive_andBadInputIsRefusedNamingTheField() throws Exception {
        assertThat(TestHttp.send("GET", managementPort, "/admin/queue-discipline", null).body())
                .contains("\"discipline\":\"fifo\"", "\"codelTargetMs\":5", "\"codelIntervalMs\":100");
        HttpResponse<String> codel = discipline("{\"discipline\":\"codel\"}");
        assertThat(codel.statusCode()).isEqualTo(200);
        assertThat(codel.body()).contains("\"discipline\":\"codel\"");
        assertThat(TestHttp.send("PUT", managementPort, "/admin/settings",
                "{\"chain.queue.codel-target\":\"40ms\"}").statusCode()).isEqualTo(200);
        assertThat(TestHttp.send("GET", managementPort, "/admin/queue-discipline", null).body())
                .contains("\"discipline\":\"codel\"", "\"codelTargetMs\":40");
        HttpResponse<String> bad = discipline("{\"discipline\":\"lifo\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"discipline\"", "adaptive-lifo");
        assertThat(TestHttp.send("GET", managementPort, "/admin/queue-discipline", null).body())
                .as("a refused switch changes nothing").contains("\"discipline\":\"codel\"");
        assertThat(TestHttp.send("GET", managementPort, "/actuator/prometheus", null).body())
                .contains("chain_queue_discipline{");
        TestHttp.send("PUT", managementPort, "/admin/settings", "{\"chain.queue.codel-target\":\"5ms\"}");
    }

    @Test
    void aBadPriority_isRefusedNamingTheHeader() throws Exception {
        HttpResponse<String> bad = TestHttp.getAsync(port, "/api/chain", Map.of(Priority.HEADER, "urgent")).get();
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"X-Priority\"", "live or batch");
        assertThat(TestHttp.getAsync(port, "/api/chain", Map.of(Priority.HEADER, "batch")).get().statusCode())
                .isEqualTo(200);
    }

    @Test
    void priority_shedsBatchBeforeLive() throws Exception {
        assertThat(discipline("{\"discipline\":\"priority\"}").statusCode()).isEqualTo(200);
        double liveBefore = shed("live");
        double batchBefore = shed("batch");
        List<CompletableFuture<HttpResponse<String>>> live = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(TestHttp.getAsync(port, "/api/chain", Map.of(Priority.HEADER, "batch")));
            live.add(TestHttp.getAsync(port, "/api/chain", Map.of(Priority.HEADER, "live")));
        }
        long liveShed = refused(live);
        long batchShed = refused(batch);
        assertThat(liveShed).as("live shed of 40 (the queue holds 200)").isZero();
        assertThat(batchShed).as("batch shed of 40: batch may hold 20 of the queue's 200 places")
                .isGreaterThanOrEqualTo(10);
        assertThat(shed("batch") - batchBefore).isEqualTo(batchShed);
        assertThat(shed("live") - liveBefore).isZero();
    }

    @Test
    void theQueue_metersSojourn_andServedWorkByWhetherItMadeItsDeadline() throws Exception {
        assertThat(discipline("{\"discipline\":\"unbounded-fifo\"}").statusCode()).isEqualTo(200);
        double missedBefore = completed("missed");
        double metBefore = completed("met");
        long now = System.currentTimeMillis();
        assertThat(TestHttp.getAsync(port, "/api/chain", Map.of(Deadlines.HEADER, Long.toString(now - 1_000))).get()
                .statusCode()).as("unbounded-fifo ignores deadlines: served for nobody").isEqualTo(200);
        assertThat(TestHttp.getAsync(port, "/api/chain", Map.of(Deadlines.HEADER, Long.toString(now + 10_000))).get()
                .statusCode()).isEqualTo(200);
        assertThat(completed("missed") - missedBefore).as("wasted work").isEqualTo(1);
        assertThat(completed("met") - metBefore).isEqualTo(1);
        assertThat(registry.get(ChainMetricNames.QUEUE_SOJOURN).tag(ChainMetricNames.OUTCOME, "served")
                .tag(ChainMetricNames.PRIORITY, "live").timer().count()).isGreaterThanOrEqualTo(2);
        assertThat(TestHttp.send("GET", managementPort, "/actuator/prometheus", null).body())
                .contains("chain_queue_sojourn_seconds_bucket{", "chain_queue_completed_total{",
                        "chain_queue_adaptive_limit{");
    }

    private static long refused(List<CompletableFuture<HttpResponse<String>>> answers) throws Exception {
        long refused = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 503) {
                assertThat(response.body()).contains("\"cause\":\"queue_full\"");
                refused++;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
        return refused;
    }

    private double shed(String priority) {
        return registry.get(ChainMetricNames.CAPACITY_REJECTIONS).tag(ChainMetricNames.REASON, "queue_full")
                .tag(ChainMetricNames.PRIORITY, priority).counter().count();
    }

    private double completed(String deadline) {
        return registry.get(ChainMetricNames.QUEUE_COMPLETED).tag(ChainMetricNames.DEADLINE, deadline)
                .tag(ChainMetricNames.PRIORITY, "live").counter().count();
    }
}
