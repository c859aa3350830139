package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
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
    void theDashboardsProvider_loadsTheFolderComposeMountsTheDashboardsIn() throws Exception {
        String provider = Files.readString(FILES.folder().resolve("grafana/provisioning/dashboards/failure-lab.yml"));
        assertThat(provider).contains("path: /var/lib/grafana/dashboards");
    }
}
