package dev.failurelab.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A middle hop against a next hop that always fails: attempts per policy, the budget, the
 * one-layer rule, and switching the policy live.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=middle",
        "chain.retry.backoff-base=1ms",
        "chain.retry.backoff-cap=2ms",
        "chain.retry.budget-ratio=0.1",
        "chain.retry.budget-min-per-second=0"})
class RetryPolicyIT {

    private static final AtomicInteger NEXT_HOP_HITS = new AtomicInteger();
    private static final AtomicBoolean SAY_DO_NOT_RETRY = new AtomicBoolean();
    private static final FakeNextHop NEXT_HOP = FakeNextHop.start(exchange -> {
        NEXT_HOP_HITS.incrementAndGet();
        if (SAY_DO_NOT_RETRY.get()) {
            exchange.getResponseHeaders().add("X-Do-Not-Retry", "overloaded");
        }
        FakeNextHop.answer(exchange, 503, "{\"error\":\"overloaded\"}");
    });
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
    void reset() {
        NEXT_HOP_HITS.set(0);
        SAY_DO_NOT_RETRY.set(false);
    }

    @Test
    void none_makesOneAttempt() throws Exception {
        switchTo("none");
        HttpResponse<String> response = call();
        assertThat(NEXT_HOP_HITS.get()).isEqualTo(1);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("X-Do-Not-Retry")).isEmpty();
    }

    @Test
    void naive_makesThreeAttempts_andCountsFirstTriesAndRetriesApart() throws Exception {
        switchTo("naive");
        double retriesBefore = attempts("retry");
        double firstBefore = attempts("first");

        call();

        assertThat(NEXT_HOP_HITS.get()).isEqualTo(3);
        assertThat(attempts("first") - firstBefore).isEqualTo(1.0);
        assertThat(attempts("retry") - retriesBefore).isEqualTo(2.0);
    }

    @Test
    void naive_ignoresTheDoNotRetrySignal_budgetHonoursIt() throws Exception {
        SAY_DO_NOT_RETRY.set(true);
        switchTo("naive");
        call();
        assertThat(NEXT_HOP_HITS.get()).as("naive retries regardless").isEqualTo(3);

        NEXT_HOP_HITS.set(0);
        switchTo("budget");
        HttpResponse<String> response = call();
        assertThat(NEXT_HOP_HITS.get()).as("budget: the hop below already retried").isEqualTo(1);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-Do-Not-Retry")).contains("overloaded");
    }

    @Test
    void budget_capsRetriesAtTheRatio_andTellsTheCallerNotToRetry() throws Exception {
        switchTo("budget");
        int calls = 100;
        int doNotRetry = 0;
        for (int i = 0; i < calls; i++) {
            doNotRetry += call().headers().firstValue("X-Do-Not-Retry").isPresent() ? 1 : 0;
        }

        int retries = NEXT_HOP_HITS.get() - calls;
        assertThat(retries).as("retries for 100 calls at a 10% budget").isBetween(9, 11);
        assertThat(doNotRetry).as("every failed call says don't retry (it retried or was refused)").isEqualTo(calls);
        assertThat(registry.get(ChainMetricNames.RETRY_BUDGET_DECISIONS).tag(ChainMetricNames.DECISION, "denied")
                .counter().count()).isPositive();
    }

    @Test
    void adminEndpoint_switchesLive_andRejectsBadInputNamingTheField() throws Exception {
        assertThat(admin("{\"policy\":\"backoff\"}").body()).contains("\"policy\":\"backoff\"");
        assertThat(get("/admin/retry-policy").body()).contains("\"policy\":\"backoff\"");
        assertThat(get("/actuator/prometheus").body())
                .contains("chain_retry_policy{application=\"chain-service\",policy=\"backoff\",role=\"middle\"} 1.0");

        for (String[] bad : new String[][] {{"{\"policy\":\"yolo\"}", "policy"}, {"{}", "policy"},
                {"{\"policy\":1}", "policy"}, {"{nope", "body"}, {"", "body"}, {"{\"policy\":\"naive\",\"x\":1}", "x"}}) {
            HttpResponse<String> response = admin(bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(response.body()).as(bad[0]).contains("\"field\":\"" + bad[1] + "\"");
        }
        assertThat(get("/admin/retry-policy").body()).as("bad input changed nothing").contains("\"policy\":\"backoff\"");
    }

    private double attempts(String kind) {
        return registry.get(ChainMetricNames.CLIENT_ATTEMPTS).tag(ChainMetricNames.KIND, kind).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private void switchTo(String policy) throws Exception {
        assertThat(admin("{\"policy\":\"" + policy + "\"}").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> admin(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/admin/retry-policy"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call() throws Exception {
        return get(ChainController.PATH);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (path.startsWith("/api") ? port : managementPort) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
