package dev.failurelab.chain.overload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.FakeNextHop;
import dev.failurelab.chain.TestHttp;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The edge's graceful degradation: a failed chain answered with the last good answer, marked. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=edge"})
class DegradationIT {

    private static final AtomicBoolean FAILING = new AtomicBoolean();
    private static final FakeNextHop NEXT_HOP = FakeNextHop.start(exchange -> {
        if (FAILING.get()) {
            FakeNextHop.answer(exchange, 503, "{\"error\":\"overloaded\"}");
        } else {
            FakeNextHop.answer(exchange, 200, "{\"hops\":[{\"role\":\"middle\",\"attempts\":1},"
                    + "{\"role\":\"bottom\",\"attempts\":0}]}");
        }
    });

    @DynamicPropertySource
    static void downstream(DynamicPropertyRegistry registry) {
        registry.add("chain.downstream-url", () -> NEXT_HOP.url().toString());
    }

    @AfterAll
    static void stop() {
        NEXT_HOP.close();
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry registry;

    @Test
    void on_aFailedChainIsAnsweredWithTheLastGoodAnswer_markedDegraded_off_itFails() throws Exception {
        FAILING.set(true);
        assertThat(TestHttp.send("GET", port, "/api/chain", null).statusCode()).as("off").isEqualTo(502);

        TestHttp.send("PUT", managementPort, "/admin/degradation", "{\"degradation\":\"on\"}");
        HttpResponse<String> partial = TestHttp.send("GET", port, "/api/chain", null);
        assertThat(partial.statusCode()).as("203 Non-Authoritative Information").isEqualTo(203);
        assertThat(partial.body()).contains("\"degraded\":true", "\"source\":\"partial\"", "\"role\":\"edge\"");

        FAILING.set(false);
        HttpResponse<String> good = TestHttp.send("GET", port, "/api/chain", null);
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.headers().firstValue("X-Degraded")).isEmpty();
        FAILING.set(true);
        HttpResponse<String> degraded = TestHttp.send("GET", port, "/api/chain", null);
        assertThat(degraded.statusCode()).isEqualTo(203);
        assertThat(degraded.headers().firstValue("X-Degraded")).contains("http_503");
        assertThat(degraded.body()).contains("\"degraded\":true", "\"source\":\"last_good\"", "\"role\":\"bottom\"");
        assertThat(registry.get(ChainMetricNames.DEGRADED_ANSWERS).tag(ChainMetricNames.REASON, "http_503").counter()
                .count()).isEqualTo(2.0);
        assertThat(registry.get(ChainMetricNames.REQUESTS).tag(ChainMetricNames.OUTCOME, "degraded").timer().count())
                .isEqualTo(2);
        TestHttp.send("PUT", managementPort, "/admin/degradation", "{\"degradation\":\"off\"}");
    }
}
