package dev.failurelab.chain.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failurelab.chain.FakeNextHop;
import dev.failurelab.chain.TestHttp;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Deadlines;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A middle hop's cascade defences against a real next hop on loopback: the circuit breaker and
 * the adaptive throttle refuse attempts without sending them, deadline propagation is switched on
 * under any policy, and each is switched live with bad input refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=middle",
        "chain.breaker.window=2s",
        "chain.breaker.minimum-calls=10",
        "chain.breaker.open-wait=300ms",
        "chain.breaker.half-open-calls=2"})
class CallerDefencesIT {

    private static final AtomicInteger HITS = new AtomicInteger();
    private static final AtomicBoolean FAILING = new AtomicBoolean(true);
    private static final List<String> DEADLINES = new CopyOnWriteArrayList<>();
    private static final FakeNextHop NEXT_HOP = FakeNextHop.start(exchange -> {
        HITS.incrementAndGet();
        DEADLINES.add(String.valueOf(exchange.getRequestHeaders().getFirst(Deadlines.HEADER)));
        if (FAILING.get()) {
            FakeNextHop.answer(exchange, 503, "{\"error\":\"overloaded\"}");
        } else {
            FakeNextHop.answer(exchange, 200, "{\"hops\":[{\"role\":\"bottom\",\"attempts\":0}]}");
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

    @BeforeEach
    void reset() throws Exception {
        HITS.set(0);
        FAILING.set(true);
        DEADLINES.clear();
        admin("/admin/retry-policy", "{\"policy\":\"none\"}");
    }

    @AfterEach
    void off() throws Exception {
        for (String defence : List.of("circuit-breaker", "adaptive-throttle", "deadlines")) {
            admin("/admin/" + defence, "{\"" + field(defence) + "\":\"off\"}");
        }
    }

    private static String field(String defence) {
        return switch (defence) {
            case "circuit-breaker" -> "breaker";
            case "adaptive-throttle" -> "throttle";
            default -> defence;
        };
    }

    private HttpResponse<String> admin(String path, String body) throws Exception {
        return TestHttp.send("PUT", managementPort, path, body);
    }

    private HttpResponse<String> call() throws Exception {
        return TestHttp.send("GET", port, "/api/chain", null);
    }

    private double rejectedLocally(String reason) {
        return registry.get(ChainMetricNames.CLIENT_REJECTED_LOCALLY).tag(ChainMetricNames.REASON, reason).counter()
                .count();
    }

    @Test
    void breaker_opensOnFailures_stopsSending_thenClosesWhenTheNextHopIsBack() throws Exception {
        assertThat(admin("/admin/circuit-breaker", "{\"breaker\":\"on\"}").body()).contains("\"breaker\":\"on\"",
                "\"state\":\"closed\"");
        double before = rejectedLocally("breaker_open");
        for (int i = 0; i < 10; i++) {
            call();
        }
        assertThat(TestHttp.send("GET", managementPort, "/admin/circuit-breaker", null).body())
                .contains("\"state\":\"open\"");
        int sent = HITS.get();
        HttpResponse<String> refused = call();
        assertThat(HITS.get()).as("an open breaker sends nothing").isEqualTo(sent);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("X-Do-Not-Retry")).contains("overloaded");
        assertThat(refused.body()).contains("\"cause\":\"breaker_open\"");
        assertThat(rejectedLocally("breaker_open") - before).isEqualTo(1.0);
        assertThat(TestHttp.send("GET", managementPort, "/actuator/prometheus", null).body())
                .contains("resilience4j_circuitbreaker_state{", "chain_breaker_transitions_total{",
                        "from_state=\"closed\"", "to_state=\"open\"");

        FAILING.set(false);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(call().statusCode()).isEqualTo(200);
            assertThat(TestHttp.send("GET", managementPort, "/admin/circuit-breaker", null).body())
                    .contains("\"state\":\"closed\"");
        });
    }

    @Test
    void throttle_rejectsLocally_onceTheNextHopAcceptsLessThanHalf() throws Exception {
        admin("/admin/adaptive-throttle", "{\"throttle\":\"on\"}");
        double before = rejectedLocally("throttled");
        int calls = 200;
        for (int i = 0; i < calls; i++) {
            call();
        }
        double refused = rejectedLocally("throttled") - before;
        assertThat(refused + HITS.get()).as("every call was either sent or throttled").isEqualTo((double) calls);
        assertThat(refused).as("a next hop that accepts nothing: almost every call throttled").isGreaterThan(150);
        assertThat(TestHttp.send("GET", managementPort, "/admin/adaptive-throttle", null).body())
                .contains("\"throttle\":\"on\"", "\"k\":2.0", "\"probability\":0.9");

        FAILING.set(false);
        HITS.set(0);
        admin("/admin/adaptive-throttle", "{\"throttle\":\"off\"}");
        call();
        assertThat(HITS.get()).as("off: sent").isEqualTo(1);
    }

    @Test
    void deadlines_arePropagatedUnderAnyPolicy_onlyWhenOn() throws Exception {
        admin("/admin/retry-policy", "{\"policy\":\"naive\"}");
        FAILING.set(false);
        call();
        assertThat(DEADLINES).containsExactly("null");
        admin("/admin/deadlines", "{\"deadlines\":\"on\"}");
        long before = System.currentTimeMillis();
        call();
        assertThat(DEADLINES).hasSize(2);
        long deadline = Long.parseLong(DEADLINES.get(1));
        assertThat(deadline - before).as("the attempt's 400 ms, less the margin for the way back")
                .isBetween(200L, 400L);
    }

    @Test
    void badSwitches_areRefusedNamingTheField() throws Exception {
        for (String[] bad : new String[][] {{"/admin/circuit-breaker", "{\"breaker\":\"maybe\"}", "breaker"},
                {"/admin/adaptive-throttle", "{\"throttle\":1}", "throttle"}, {"/admin/deadlines", "{}", "deadlines"}}) {
            HttpResponse<String> response = admin(bad[0], bad[1]);
            assertThat(response.statusCode()).as(bad[1]).isEqualTo(400);
            assertThat(response.body()).contains("\"field\":\"" + bad[2] + "\"");
        }
        assertThat(TestHttp.send("GET", managementPort, "/admin/load-shedding", null).statusCode())
                .as("the bottom's, not a middle's").isEqualTo(404);
        assertThat(TestHttp.send("GET", managementPort, "/admin/capacity-cut", null).statusCode()).isEqualTo(404);
    }
}
