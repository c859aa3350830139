package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.metrics.MetricSnapshot;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.splitbrain.StoreClient;
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
 * The split-brain lab's meters against its real store nodes (on PostgreSQL and ZooKeeper): the nodes
 * are driven (writes and reads on the leader, a history check posted, a follower partitioned while
 * the test queries); every store metric name a panel, a rule or a runbook reads must be exported, and
 * a real Prometheus scraping them must answer every dashboard query that reads one with data.
 * {@link LiveTelemetryIT} checks the others.
 */
class LiveSplitBrainTelemetryIT {

    private static final ObservabilityFiles FILES = new ObservabilityFiles(Path.of("").toAbsolutePath());

    private static EmbeddedTopology store;
    private static PrometheusServer prometheus;

    @TempDir
    static Path work;

    /** A meter of the split-brain lab's store nodes. */
    static boolean isStore(String name) {
        return name.startsWith("chain_store_");
    }

    /** Whether {@code query} reads a meter of the split-brain lab. */
    static boolean readsStore(ObservabilityFiles.Query query) {
        return PromQl.metricNames(query.expr()).stream().anyMatch(LiveSplitBrainTelemetryIT::isStore);
    }

    @BeforeAll
    static void startAndDrive() throws Exception {
        store = EmbeddedTopology.builder(Topology.load("split-brain").withFreePorts()).forTests().start();
        prometheus = PrometheusServer.start(List.of(store), work, Duration.ofSeconds(1));
        List<URI> nodes = store.endpoints().urls("store");
        List<URI> admins = store.endpoints().managements("store");
        StoreClient client = new StoreClient(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().filter(n -> {
            var status = client.status(n);
            return status != null && status.path("leader").asBoolean();
        }).count() == 1);
        URI leader = nodes.stream().filter(n -> client.status(n).path("leader").asBoolean()).findFirst().orElseThrow();
        for (int i = 0; i < 40; i++) {
            assertThat(client.write(leader, "telemetry-" + i, "telemetry", i).acked()).isTrue();
            assertThat(client.read(leader, "telemetry").ok()).isTrue();
        }
        AdminHttp http = new AdminHttp();
        http.send("PUT", admins.get(0).resolve("/admin/checker"), "{\"acked\":40,\"lost\":0,\"violations\":0}");
        // A follower cut from ZooKeeper only while the test queries (its fault gauge); the TTL ends it.
        URI follower = admins.get(nodes.indexOf(leader) == 2 ? 1 : 2);
        http.send("PUT", follower.resolve("/admin/network-partition"), "{\"cut\":[\"zookeeper\"],\"ttl\":\"180s\"}");
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void everyStoreMetricThatAPanelARuleOrARunbookReads_isExportedByTheNodes() {
        PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(5));
        Set<String> exported = new TreeSet<>();
        for (Map.Entry<String, URI> app : store.endpoints().instanceManagements().entrySet()) {
            MetricSnapshot snapshot = scraper.scrape(app.getValue().resolve("/actuator/prometheus"));
            assertThat(snapshot.isEmpty()).as(app.getKey() + " answered a scrape").isFalse();
            exported.addAll(snapshot.samples().keySet());
        }
        List<ObservabilityFiles.Query> queries = new ArrayList<>(FILES.dashboardQueries());
        queries.addAll(FILES.ruleQueries());
        queries.addAll(FILES.runbookQueries());
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (ObservabilityFiles.Query query : queries) {
            for (String name : PromQl.metricNames(query.expr())) {
                if (isStore(name)) {
                    checked++;
                    if (!exported.contains(name)) {
                        missing.add(name + " (" + query.where() + ")");
                    }
                }
            }
        }
        assertThat(missing).as("store metric names no node exports").isEmpty();
        assertThat(checked).as("store metric names read").isGreaterThan(15);
    }

    @Test
    void aRealPrometheus_answersEveryStoreDashboardQueryWithData_andItsRulesWithoutError() throws Exception {
        List<ObservabilityFiles.Query> dashboards = FILES.dashboardQueries().stream()
                .filter(LiveSplitBrainTelemetryIT::readsStore).toList();
        assertThat(dashboards).as("the split-brain dashboard's queries").hasSizeGreaterThan(10);
        for (ObservabilityFiles.Query query : dashboards) {
            await().alias(query.where() + ": " + query.expr()).atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> prometheus.query(query.expr()).path("data").path("result").size() > 0);
        }
        for (ObservabilityFiles.Query rule : FILES.ruleQueries()) {
            if (readsStore(rule)) {
                assertThat(prometheus.query(rule.expr()).path("status").asString()).as(rule.where())
                        .isEqualTo("success");
            }
        }
        await().alias("the partitioned follower raises StoreFaultInjected").atMost(Duration.ofSeconds(30))
                .until(() -> prometheus.get("/api/v1/alerts").toString().contains("StoreFaultInjected"));
    }
}
