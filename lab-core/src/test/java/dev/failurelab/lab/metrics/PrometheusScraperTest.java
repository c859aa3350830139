package dev.failurelab.lab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusScraperTest {

    private static final String TEXT = """
            # HELP chain_client_attempts_total Outbound attempts
            # TYPE chain_client_attempts_total counter
            chain_client_attempts_total{application="chain-service",kind="first",outcome="success",role="middle"} 12.0
            chain_client_attempts_total{application="chain-service",kind="retry",outcome="server_error",role="middle"} 3.0
            chain_client_attempts_total{application="chain-service",kind="retry",outcome="timeout",role="middle"} 2.0
            chain_retry_budget_tokens{application="chain-service",role="middle"} 4.5
            odd_label{path="a \\"quoted\\" , value"} 1.0
            process_uptime_seconds 42.5
            broken_line{role="x"} not-a-number
            """;

    @Test
    void parse_readsNamesLabelsAndValues_andSumsByLabel() {
        MetricSnapshot snapshot = PrometheusScraper.parse(TEXT);

        assertThat(snapshot.sum("chain_client_attempts_total")).isEqualTo(17.0);
        assertThat(snapshot.sum("chain_client_attempts_total", Map.of("kind", "retry"))).isEqualTo(5.0);
        assertThat(snapshot.sum("chain_retry_budget_tokens")).isEqualTo(4.5);
        assertThat(snapshot.sum("process_uptime_seconds")).isEqualTo(42.5);
        assertThat(snapshot.sum("odd_label", Map.of("path", "a \"quoted\" , value"))).isEqualTo(1.0);
        assertThat(snapshot.sum("broken_line")).as("an unparseable value is skipped").isZero();
        assertThat(snapshot.sum("absent")).isZero();
    }
}
