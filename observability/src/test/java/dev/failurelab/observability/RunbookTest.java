package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunbookTest {

    private static final ObservabilityFiles FILES = new ObservabilityFiles(Path.of("").toAbsolutePath());

    @Test
    void theRetryStormRunbook_readsAsAnOnCallEngineerFollowsIt() {
        Runbook runbook = Runbook.read(FILES.runbooks(), "retry-storm");
        assertThat(runbook.alerts()).containsExactly("RetryAmplificationHigh", "RetryBudgetExhausted");
        assertThat(runbook.detectionQueries()).hasSize(2).first().asString()
                .startsWith("sum by (namespace) (rate(chain_requests_seconds_count{role=\"bottom\"}[1m]))");
        assertThat(runbook.immediateCommands()).containsExactly("./apply-budget.sh", "./fault.sh status",
                "./fault.sh clear");
        assertThat(runbook.dashboards()).containsExactly("Retry storm", "Chain overview");
        assertThat(runbook.triageQuery()).as("its triage query, not a detection query")
                .hasValueSatisfying(q -> assertThat(q).contains("fault_proxy_requests_total"));
    }

    @Test
    void aRunbookWithoutATriageBlock_hasNoTriageQuery() {
        assertThat(Runbook.read(FILES.runbooks(), "dns-outage").triageQuery()).isEmpty();
        assertThat(Runbook.read(FILES.runbooks(), "cascading-failure").triageQuery())
                .hasValue("max(max_over_time(chain_capacity_cut[5m])) > 0");
    }

    @Test
    void aMissingRunbook_isNamed() {
        assertThatThrownBy(() -> Runbook.read(FILES.runbooks(), "gremlins"))
                .hasMessageContaining("no runbook for the failure mode 'gremlins'");
    }

    @Test
    void scaledRules_keepTheirShape_withShorterDurations_andNoRangeUnderFourScrapes() {
        String rules = """
                - alert: A
                  expr: sum(rate(x_total[1m])) / sum(rate(y_total[5m])) > 2 and z[30s] > 0
                  for: 1m
                - alert: B
                  expr: max(y) > 0
                  for: 10s
                """;
        String scaled = PrometheusServer.scaleRules(rules, 0.25, Duration.ofSeconds(4));
        assertThat(scaled).contains("x_total[15s]", "y_total[75s]", "z[8s]", "for: 15s", "for: 3s")
                .doesNotContain("[1m]", "for: 1m");
        assertThat(PrometheusServer.scaleRules("expr: rate(a[4s])\n", 0.25, Duration.ofSeconds(4)))
                .contains("a[4s]");
    }
}
