package dev.failurelab.chain.settings;

import static dev.failurelab.chain.TestHttp.getAsync;
import static dev.failurelab.chain.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.FakeNextHop;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A calling hop's live settings against a next hop that takes 600 ms: its outbound bulkhead
 * refuses the call past its limit, its attempt timeout and its retries change without a restart,
 * and a rule across settings (backoff base above its cap) is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=middle",
        "chain.client.timeout=2s",
        "chain.retry.policy=naive"})
class CallerSettingsIT extends LiveSettingsTestBase {

    private static final FakeNextHop NEXT_HOP = FakeNextHop.start(exchange -> {
        try {
            Thread.sleep(600);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FakeNextHop.answer(exchange, 200, "{\"hops\":[{\"role\":\"bottom\",\"attempts\":1}]}");
    });

    @DynamicPropertySource
    static void downstream(DynamicPropertyRegistry registry) {
        registry.add("chain.downstream-url", () -> NEXT_HOP.url().toString());
    }

    @AfterAll
    static void stop() {
        NEXT_HOP.close();
    }


    @Test
    void theBulkhead_refusesTheCallPastItsLimit_live() throws Exception {
        assertThat(send("PUT", managementPort, "/admin/settings", "{\"chain.bulkhead.max-concurrent-calls\":1}")
                .statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> first = getAsync(port, "/api/chain");
        Thread.sleep(200);
        HttpResponse<String> second = send("GET", port, "/api/chain", null);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).contains("bulkhead_full");
        assertThat(first.join().statusCode()).isEqualTo(200);
        assertThat(send("GET", managementPort, "/actuator/prometheus", null).body())
                .contains("resilience4j_bulkhead_max_allowed_concurrent_calls");
        send("DELETE", managementPort, "/admin/settings", null);
        CompletableFuture<HttpResponse<String>> again = getAsync(port, "/api/chain");
        assertThat(send("GET", port, "/api/chain", null).statusCode()).as("back to 100 calls at once").isEqualTo(200);
        assertThat(again.join().statusCode()).isEqualTo(200);
    }

    @Test
    void theAttemptTimeoutAndTheRetries_changeLive() throws Exception {
        assertThat(send("GET", port, "/api/chain", null).statusCode()).isEqualTo(200);
        HttpResponse<String> changed = send("PUT", managementPort, "/admin/settings",
                "{\"chain.client.timeout\":0.2,\"chain.retry.max-attempts\":2,\"chain.retry.backoff-base\":\"1ms\","
                        + "\"chain.retry.backoff-cap\":\"1ms\"}");
        assertThat(changed.body()).contains("\"chain.client.timeout\":\"200ms\"", "\"chain.retry.max-attempts\":2");
        HttpResponse<String> timedOut = send("GET", port, "/api/chain", null);
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(timedOut.body()).contains("\"attempts\":2");
    }

    @Test
    void aRuleAcrossSettings_isA400NamingTheSetting() throws Exception {
        HttpResponse<String> refused = send("PUT", managementPort, "/admin/settings",
                "{\"chain.retry.backoff-base\":\"10s\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"chain.retry.backoff-base\"", "backoff-cap");
        assertThat(send("GET", managementPort, "/admin/settings", null).body())
                .contains("\"chain.retry.backoff-base\":\"2000ms\"");
    }
}
