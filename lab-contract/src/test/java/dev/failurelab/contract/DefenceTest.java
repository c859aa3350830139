package dev.failurelab.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefenceTest {

    @Test
    void shape_pathBodyAndGauge() {
        assertThat(Defences.RETRY_POLICY.path()).isEqualTo("/admin/retry-policy");
        assertThat(Defences.RETRY_POLICY.body("budget")).isEqualTo("{\"policy\":\"budget\"}");
        assertThat(Defences.CACHE_STRATEGY.prometheusGauge()).isEqualTo("chain_cache_strategy");
        assertThat(Defences.byId("cache-strategy")).contains(Defences.CACHE_STRATEGY);
        assertThat(Defences.byId("nope")).isEmpty();
    }

    @Test
    void option_caseInsensitiveAndOnlyKnownOnes() {
        assertThat(Defences.CACHE_STRATEGY.option(" LOCK+SWR ")).contains("lock+swr");
        assertThat(Defences.RETRY_POLICY.option("exponential")).isEmpty();
    }

    @Test
    void constructor_rejectsBadDescriptions() {
        assertThatThrownBy(() -> new Defence("Bad Id", "x", "m", List.of("a"), "a", ""))
                .hasMessageContaining("id must be");
        assertThatThrownBy(() -> new Defence("ok", "x", "m", List.of("a"), "b", ""))
                .hasMessageContaining("defaultOption 'b'");
        assertThatThrownBy(() -> new Defence("ok", "x", "m", List.of(), "a", ""))
                .hasMessageContaining("options");
    }

    @Test
    void prometheusNames_followTheRegistry() {
        assertThat(PrometheusNames.counter(ChainMetricNames.CLIENT_ATTEMPTS)).isEqualTo("chain_client_attempts_total");
        assertThat(PrometheusNames.timerCount(ChainMetricNames.REQUESTS)).isEqualTo("chain_requests_seconds_count");
        assertThat(PrometheusNames.timerBucket(ChainMetricNames.CACHE_LOCK_WAIT))
                .isEqualTo("chain_cache_lock_wait_seconds_bucket");
        assertThat(PrometheusNames.gauge(ChainMetricNames.CAPACITY_QUEUE_DEPTH)).isEqualTo("chain_capacity_queue_depth");
    }
}
