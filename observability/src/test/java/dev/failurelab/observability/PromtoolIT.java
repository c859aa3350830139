package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus config, the alert rules and every dashboard query, checked by promtool itself. */
class PromtoolIT {

    private static final ObservabilityFiles FILES = new ObservabilityFiles(Path.of("").toAbsolutePath());

    @Test
    void checkConfig_acceptsThePrometheusConfig_andItsRuleFiles() throws Exception {
        ExternalTool.Result result = ExternalTool.require("promtool").run(FILES.folder(), "check", "config",
                FILES.prometheusConfig().toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void testRules_everyAlertFiresAndDoesNotFire_asItsUnitTestsSay() throws Exception {
        ExternalTool.Result result = ExternalTool.require("promtool").run(FILES.alertTests().getParent(), "test", "rules",
                FILES.alertTests().getFileName().toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
        String tests = Files.readString(FILES.alertTests());
        for (var alert : FILES.alerts()) {
            String name = String.valueOf(alert.get("alert"));
            assertThat(tests).as("a firing test for " + name).containsPattern(
                    "alertname: " + name + "\\s+exp_alerts:\\s+- exp_labels");
            assertThat(tests).as("a not-firing test for " + name).containsPattern(
                    "alertname: " + name + "\\s+exp_alerts: \\[]");
        }
    }

    @Test
    void everyDashboardAndRunbookQuery_isValidPromQl(@TempDir Path dir) throws Exception {
        List<ObservabilityFiles.Query> queries = new java.util.ArrayList<>(FILES.dashboardQueries());
        queries.addAll(FILES.runbookQueries());
        assertThat(queries).hasSizeGreaterThan(40);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: '")
                    .append(queries.get(i).expr().replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);

        ExternalTool.Result result = ExternalTool.require("promtool").run(dir, "check", "rules", file.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }
}
