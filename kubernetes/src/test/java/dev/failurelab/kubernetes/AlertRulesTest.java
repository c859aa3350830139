package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.ExternalTool;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The workshop's alert rules in the chart: the project's own {@code alerts.yml}, as one
 * PrometheusRule for every participant (its rules aggregate by namespace), valid for Prometheus as
 * the Prometheus Operator's admission check would find them ({@code promtool check rules}).
 */
class AlertRulesTest {

    private static final Path ALERTS = RenderedChart.ROOT.resolve("observability/prometheus/alerts.yml");

    @Test
    void theInstructorsValues_shipTheProjectsRules_onceForTheWorkshop_asPrometheusLoadsThem(@TempDir Path dir)
            throws Exception {
        List<GenericKubernetesResource> rules = prometheusRules(
                RenderedChart.render(RenderedChart.CHART.resolve("values-instructor.yaml")));
        assertThat(rules).as("one for thirty participants").hasSize(1);
        GenericKubernetesResource rule = rules.get(0);
        assertThat(rule.getMetadata().getNamespace()).as("none written: the release's, at install (-n)").isNull();
        assertThat(rule.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "failure-lab");
        assertThat(groups(rule)).as("alerts.yml's groups, unchanged").isEqualTo(projectRules().get("groups"));

        Path file = dir.resolve("rules.yml");
        Files.writeString(file, new Yaml().dump(Map.of("groups", groups(rule))));
        ExternalTool.Result check = ExternalTool.require("promtool").run(dir, Duration.ofSeconds(60), "check",
                "rules", file.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void byDefault_noRules_andWithTheirSettings_theirNamespaceLabelsAndAbsoluteRunbookLinks() throws IOException {
        assertThat(prometheusRules(RenderedChart.render(null))).as("off by default").isEmpty();

        String base = "https://git.example.org/failure-lab/blob/main/";
        List<GenericKubernetesResource> rules = prometheusRules(RenderedChart.render(null, Map.of(
                "prometheus.rules", "true", "prometheus.rulesNamespace", "monitoring",
                "prometheus.ruleLabels.release", "kube-prometheus-stack", "prometheus.runbookBaseUrl", base)));
        assertThat(rules).hasSize(1);
        GenericKubernetesResource rule = rules.get(0);
        assertThat(rule.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        List<Map<String, Object>> alerts = alerts(groups(rule));
        List<Map<String, Object>> written = alerts(projectRules().get("groups"));
        assertThat(alerts).hasSameSizeAs(written).hasSizeGreaterThan(30);
        for (int i = 0; i < alerts.size(); i++) {
            assertThat(annotations(alerts.get(i)).get("runbook_url")).as(alerts.get(i).get("alert") + "'s runbook")
                    .isEqualTo("https://git.example.org/failure-lab/blob/main/" + annotations(written.get(i))
                            .get("runbook_url"));
        }
    }

    private static List<GenericKubernetesResource> prometheusRules(List<HasMetadata> objects) {
        return RenderedChart.of(objects, GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("PrometheusRule")).toList();
    }

    private static Object groups(GenericKubernetesResource rule) {
        return ((Map<?, ?>) rule.getAdditionalProperties().get("spec")).get("groups");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alerts(Object groups) {
        return ((List<Map<String, Object>>) groups).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .filter(rule -> rule.containsKey("alert")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotations(Map<String, Object> alert) {
        return (Map<String, Object>) alert.get("annotations");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> projectRules() throws IOException {
        try (InputStream in = Files.newInputStream(ALERTS)) {
            return (Map<String, Object>) new Yaml().load(in);
        }
    }
}
