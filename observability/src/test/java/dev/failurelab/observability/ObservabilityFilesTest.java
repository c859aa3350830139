package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shape of the alert rules, dashboards and Grafana provisioning, read from the files. */
class ObservabilityFilesTest {

    private static final ObservabilityFiles FILES = new ObservabilityFiles(Path.of("").toAbsolutePath());

    @Test
    @SuppressWarnings("unchecked")
    void everyAlert_hasASeverity_aSummary_aDescription_andARunbookUrl() {
        assertThat(FILES.alerts()).extracting(a -> a.get("alert")).contains("RetryAmplificationHigh",
                "RetryBudgetExhausted", "ErrorBudgetBurnFast", "ErrorBudgetBurnSlow", "BottomSaturated",
                "OriginQuerySpike", "CacheLockWaitHigh", "FaultInjected");
        for (Map<String, Object> alert : FILES.alerts()) {
            Map<String, Object> labels = (Map<String, Object>) alert.get("labels");
            Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
            assertThat(labels).as(alert.get("alert") + " labels").containsKey("severity");
            assertThat(String.valueOf(labels.get("severity"))).isIn("page", "ticket", "info");
            assertThat(annotations).as(alert.get("alert") + " annotations")
                    .containsKeys("summary", "description", "runbook_url");
            assertThat(String.valueOf(annotations.get("runbook_url"))).matches("runbooks/[A-Za-z-]+\\.md#[a-z-]+");
        }
    }

    @Test
    void everyDashboard_usesTheProvisionedDatasourceByItsUid_withUniquePanelIds() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        String provisioning = Files.readString(FILES.folder().resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(provisioning).contains("uid: prometheus", "url: http://prometheus:9090");
        Set<String> uids = new HashSet<>();
        try (var files = Files.list(FILES.dashboards())) {
            for (Path file : files.toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                assertThat(uids.add(dashboard.path("uid").asString())).as("unique uid " + file).isTrue();
                Set<Integer> ids = new HashSet<>();
                for (JsonNode panel : dashboard.path("panels")) {
                    assertThat(ids.add(panel.path("id").asInt())).as(file + " panel ids unique").isTrue();
                    assertThat(panel.path("datasource").path("uid").asString()).as(file + " " + panel.path("title"))
                            .isEqualTo("prometheus");
                    for (JsonNode target : panel.path("targets")) {
                        assertThat(target.path("datasource").path("uid").asString()).isEqualTo("prometheus");
                        assertThat(target.path("expr").asString()).isNotBlank();
                    }
                }
            }
        }
        assertThat(uids).containsExactlyInAnyOrder("failure-lab-chain", "failure-lab-retry-storm", "failure-lab-stampede",
                "failure-lab-cascade", "failure-lab-queue-overload", "failure-lab-hot-partition", "failure-lab-dns",
                "failure-lab-service-discovery", "failure-lab-split-brain");
    }

    @Test
    void everyDashboard_filtersEverySelectorOnTheParticipantsNamespace_allByDefault() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        try (var files = Files.list(FILES.dashboards())) {
            for (Path file : files.toList()) {
                JsonNode variables = json.readTree(file.toFile()).path("templating").path("list");
                assertThat(variables).as(file + " variables").hasSize(1);
                JsonNode namespace = variables.get(0);
                assertThat(namespace.path("name").asString()).isEqualTo("namespace");
                assertThat(namespace.path("definition").asString()).as(file + " namespace values")
                        .isEqualTo("label_values(chain_instance_start_time_seconds, namespace)");
                assertThat(namespace.path("includeAll").asBoolean()).as(file + " has All").isTrue();
                assertThat(namespace.path("allValue").asString()).isEqualTo(ObservabilityFiles.ALL);
                assertThat(namespace.path("current").path("value").asString()).as(file + " at All by default")
                        .isEqualTo("$__all");
            }
        }
        List<ObservabilityFiles.Query> queries = FILES.dashboardQueriesAsWritten();
        List<String> unfiltered = new ArrayList<>();
        for (ObservabilityFiles.Query query : queries) {
            for (PromQl.Selector selector : PromQl.selectors(query.expr())) {
                if (!selector.matchers().startsWith(ObservabilityFiles.NAMESPACE_FILTER)) {
                    unfiltered.add(selector + " (" + query.where() + ")");
                }
            }
        }
        assertThat(unfiltered).as("selectors that would mix participants in one Prometheus").isEmpty();
        assertThat(queries).hasSizeGreaterThan(100);
        assertThat(FILES.dashboardQueries()).as("as Grafana sends them at All")
                .allSatisfy(query -> assertThat(query.expr()).doesNotContain("$").contains("namespace=~\".*\""));
    }

    @Test
    void everyRule_aggregatesAndMatchesWithinTheParticipantsNamespace() {
        // One Prometheus for a workshop judges each participant's stack alone (alerts-test.yml's
        // namespaced cases show the difference); under compose no series has the label.
        List<String> mixing = new ArrayList<>();
        int groupings = 0;
        for (ObservabilityFiles.Query rule : FILES.ruleQueries()) {
            for (PromQl.Grouping grouping : PromQl.groupings(rule.expr())) {
                groupings++;
                boolean keeps = switch (grouping.clause()) {
                    case "by", "on" -> grouping.labels().contains("namespace");
                    case "without", "ignoring" -> !grouping.labels().contains("namespace");
                    default -> false;
                };
                if (!keeps) {
                    mixing.add(grouping + " (" + rule.where() + ")");
                }
            }
        }
        assertThat(mixing).as("aggregations or matches that would mix participants in one Prometheus").isEmpty();
        assertThat(groupings).as("the rules' aggregations and matches").isGreaterThan(50);
    }

    @Test
    void theDashboardsProvider_loadsTheFolderComposeMountsTheDashboardsIn() throws Exception {
        String provider = Files.readString(FILES.folder().resolve("grafana/provisioning/dashboards/failure-lab.yml"));
        assertThat(provider).contains("path: /var/lib/grafana/dashboards");
    }
}
