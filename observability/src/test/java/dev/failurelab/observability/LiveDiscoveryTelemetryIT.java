package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.DefenceClient;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.OpenLoopLoadGenerator;
import dev.failurelab.lab.metrics.MetricSnapshot;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service-discovery lab's meters against its real services: the registry, five bottoms and the
 * middle are driven (load, then bottom-2 killed under outlier ejection, still killed while the
 * test queries); every metric name of the registry or the discovery clients that a panel, a rule or
 * a runbook reads must be exported, and a real Prometheus scraping them must answer every dashboard
 * query that reads one with data. {@link LiveTelemetryIT} checks the others.
 */
class LiveDiscoveryTelemetryIT {

    private static final ObservabilityFiles FILES = new ObservabilityFiles(Path.of("").toAbsolutePath());

    private static EmbeddedTopology discovery;
    private static PrometheusServer prometheus;

    @TempDir
    static Path work;

    /** A meter of the registry or of a discovery client (the service-discovery lab's). */
    static boolean isDiscovery(String name) {
        return name.startsWith("chain_discovery_") || name.startsWith("chain_registry_");
    }

    /** Whether {@code query} reads a meter of the service-discovery lab. */
    static boolean readsDiscovery(ObservabilityFiles.Query query) {
        return PromQl.metricNames(query.expr()).stream().anyMatch(LiveDiscoveryTelemetryIT::isDiscovery);
    }

    @BeforeAll
    static void startAndDrive() throws Exception {
        discovery = EmbeddedTopology.builder(Topology.load("service-discovery").withFreePorts()).forTests().start();
        prometheus = PrometheusServer.start(List.of(discovery), work, Duration.ofSeconds(1));
        URI middle = discovery.management("middle");
        PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> scraper.scrape(middle.resolve("/actuator/prometheus"))
                .sum("chain_discovery_instances", Map.of("state", "eligible")) >= 5);
        new DefenceClient().switchAll(List.of(middle), Defences.OUTLIER_EJECTION, "on");
        URI bottom2 = discovery.endpoints().instanceManagements().get("bottom-2");
        OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
        try {
            generator.run(LoadSpec.of(discovery.url("middle").resolve("/api/chain"), 50, Duration.ofSeconds(2)));
            // Still killed while the test queries (its errors, its fault gauge); the TTL ends it.
            new AdminHttp().send("PUT", bottom2.resolve("/admin/kill"), "{\"ttl\":\"180s\"}");
            generator.run(LoadSpec.of(discovery.url("middle").resolve("/api/chain"), 50, Duration.ofSeconds(3)));
        } finally {
            generator.close();
        }
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (discovery != null) {
            discovery.close();
        }
    }

    private static List<ObservabilityFiles.Query> allQueries() {
        List<ObservabilityFiles.Query> queries = new ArrayList<>(FILES.dashboardQueries());
        queries.addAll(FILES.ruleQueries());
        queries.addAll(FILES.runbookQueries());
        return queries;
    }

    @Test
    void everyDiscoveryMetricThatAPanelARuleOrARunbookReads_isExportedByTheServices() {
        PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(5));
        Set<String> exported = new TreeSet<>();
        for (Map.Entry<String, URI> app : discovery.endpoints().instanceManagements().entrySet()) {
            MetricSnapshot snapshot = scraper.scrape(app.getValue().resolve("/actuator/prometheus"));
            assertThat(snapshot.isEmpty()).as(app.getKey() + " answered a scrape").isFalse();
            exported.addAll(snapshot.samples().keySet());
        }
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (ObservabilityFiles.Query query : allQueries()) {
            for (String name : PromQl.metricNames(query.expr())) {
                if (isDiscovery(name)) {
                    checked++;
                    if (!exported.contains(name)) {
                        missing.add(name + " (" + query.where() + ")");
                    }
                }
            }
        }
        assertThat(missing).as("discovery metric names no service exports").isEmpty();
        assertThat(checked).as("discovery metric names read").isGreaterThan(20);
    }

    @Test
    void aRealPrometheus_answersEveryDiscoveryDashboardQueryWithData_andItsRulesWithoutError() throws Exception {
        List<ObservabilityFiles.Query> dashboards = FILES.dashboardQueries().stream()
                .filter(LiveDiscoveryTelemetryIT::readsDiscovery).toList();
        assertThat(dashboards).as("the service-discovery dashboard's queries").hasSizeGreaterThan(10);
        for (ObservabilityFiles.Query query : dashboards) {
            await().alias(query.where() + ": " + query.expr()).atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> prometheus.query(query.expr()).path("data").path("result").size() > 0);
        }
        for (ObservabilityFiles.Query rule : FILES.ruleQueries()) {
            if (readsDiscovery(rule)) {
                assertThat(prometheus.query(rule.expr()).path("status").asString()).as(rule.where())
                        .isEqualTo("success");
            }
        }
        await().alias("the killed instance raises DiscoveryFaultInjected").atMost(Duration.ofSeconds(30))
                .until(() -> prometheus.get("/api/v1/alerts").toString().contains("DiscoveryFaultInjected"));
    }
}
