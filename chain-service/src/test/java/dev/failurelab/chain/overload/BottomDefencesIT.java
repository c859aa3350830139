package dev.failurelab.chain.overload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.TestHttp;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The bottom's trigger and its defence: a capacity cut that stretches the service time for its
 * duration only, and load shedding past an adaptive concurrency limit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=bottom",
        "chain.capacity.max-concurrency=2",
        "chain.capacity.queue-capacity=200",
        "chain.capacity.queue-timeout=10s",
        "chain.capacity.service-time=20ms",
        "chain.shedding.initial-limit=4"})
class BottomDefencesIT {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry registry;

    @AfterEach
    void off() throws Exception {
        TestHttp.send("DELETE", managementPort, "/admin/capacity-cut", null);
        TestHttp.send("PUT", managementPort, "/admin/load-shedding", "{\"shedding\":\"off\"}");
    }

    private long timedCall() throws Exception {
        long start = System.nanoTime();
        assertThat(TestHttp.send("GET", port, "/api/chain", null).statusCode()).isEqualTo(200);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aCapacityCut_stretchesTheServiceTime_andEndsByItself() throws Exception {
        HttpResponse<String> cut = TestHttp.send("PUT", managementPort, "/admin/capacity-cut",
                "{\"fraction\":0.9,\"duration\":\"1500ms\"}");
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.body()).contains("\"fraction\":0.9");
        long during = timedCall();
        assertThat(during).as("20 ms / (1 - 0.9) = 200 ms").isGreaterThanOrEqualTo(195);
        assertThat(TestHttp.send("GET", managementPort, "/actuator/prometheus", null).body())
                .contains("chain_capacity_cut{application=\"chain-service\",role=\"bottom\"} 0.9");
        Thread.sleep(1600);
        assertThat(TestHttp.send("GET", managementPort, "/admin/capacity-cut", null).body())
                .contains("\"fraction\":0.0", "\"remainingMs\":0");
        assertThat(timedCall()).as("back to 20 ms: under half the cut's " + during + " ms").isLessThan(during / 2);
    }

    @Test
    void badCuts_areRefusedNamingTheField_andChangeNothing() throws Exception {
        for (String[] bad : new String[][] {{"{\"fraction\":1.5,\"duration\":\"1s\"}", "fraction"},
                {"{\"duration\":\"1s\"}", "fraction"}, {"{\"fraction\":\"most\",\"duration\":\"1s\"}", "fraction"},
                {"{\"fraction\":0.5}", "duration"}, {"{\"fraction\":0.5,\"duration\":\"forever\"}", "duration"},
                {"{\"fraction\":0.5,\"duration\":\"11m\"}", "duration"}, {"{\"fraction\":0.5,\"duration\":\"1s\",\"x\":1}", "x"},
                {"{oops", "body"}}) {
            HttpResponse<String> response = TestHttp.send("PUT", managementPort, "/admin/capacity-cut", bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(response.body()).as(bad[0]).contains("\"field\":\"" + bad[1] + "\"");
        }
        assertThat(TestHttp.send("GET", managementPort, "/admin/capacity-cut", null).body()).contains("\"fraction\":0.0");
    }

    @Test
    void shedding_refusesPastTheAdaptiveLimit_insteadOfQueueing() throws Exception {
        assertThat(TestHttp.send("PUT", managementPort, "/admin/load-shedding", "{\"shedding\":\"on\"}").body())
                .contains("\"shedding\":\"on\"", "\"limit\":4");
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            burst.add(TestHttp.getAsync(port, "/api/chain"));
        }
        int shed = 0;
        int served = 0;
        for (CompletableFuture<HttpResponse<String>> answer : burst) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 503) {
                assertThat(response.body()).contains("\"cause\":\"adaptive_limit\"");
                shed++;
            } else {
                served++;
            }
        }
        assertThat(shed).as("60 at once against a limit near 4").isGreaterThan(20);
        assertThat(served).isGreaterThanOrEqualTo(4);
        assertThat(registry.get(ChainMetricNames.CAPACITY_REJECTIONS).tag(ChainMetricNames.REASON, "adaptive_limit")
                .tag(ChainMetricNames.PRIORITY, "live").counter().count()).as("no X-Priority: live").isEqualTo(shed);
        assertThat(TestHttp.send("GET", managementPort, "/actuator/prometheus", null).body())
                .contains("chain_shedding_limit{", "chain_shedding_mode{");
    }
}
