package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failurelab.contract.FaultControl;
import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.AdminPaths;
import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.load.BurstSpec;
import dev.failurelab.lab.load.KeyedRequests;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.OpenLoopLoadGenerator;
import dev.failurelab.lab.metrics.MetricSnapshot;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.contract.DefenceClient;
import dev.failurelab.contract.Defences;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboards and alert rules against the real services: the embedded topology (with its
 * cache on real Redis and PostgreSQL) is driven through a retry storm, a fault, an overload and a
 * stampede, the hot-partition lab's router and shards through a celebrity key, and the DNS lab's
 * hops through a DNS outage; then every metric
 * name that any panel or rule reads must be in what the services
 * export, and a real Prometheus scraping them must answer every dashboard query with data. The
 * service-discovery lab's own meters are {@link LiveDiscoveryTelemetryIT}'s, and the split-brain lab's
 * {@link LiveSplitBrainTelemetryIT}'s (their topologies in JVMs of their own: one JVM with all the
 * topologies is more than two cores serve).
 */
class LiveTelemetryIT {

    private static final ObservabilityFiles FILES = new ObservabilityFiles(Path.of("").toAbsolutePath());
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedTopology topology;
    private static EmbeddedTopology partition;
    private static EmbeddedTopology dns;
    private static PrometheusServer prometheus;

    @TempDir
    static Path work;

    @BeforeAll
    static void startAndDrive() throws Exception {
        topology = EmbeddedTopology.builder(Topology.chain().withFreePorts()).forTests().start();
        partition = EmbeddedTopology.builder(Topology.load("hot-partition").withFreePorts()).forTests().start();
        dns = EmbeddedTopology.builder(Topology.load("dns").withFreePorts()).forTests().start();
        // The workshop's Prometheus configuration, scraping every second.
        prometheus = PrometheusServer.start(List.of(topology, partition, dns), work, Duration.ofSeconds(1));
        drive();
        drivePartitions();
        driveDns();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (topology != null) {
            topology.close();
        }
        if (partition != null) {
            partition.close();
        }
        if (dns != null) {
            dns.close();
        }

    }

    /**
     * The hot-partition lab's router and shards: a celebrity at half of 300 req/s under plain hashing
     * (its shard, 4 slots of 40 ms, throttles), then under bounded-load hashing, then under plain hashing
     * with the hot-key cache.
     */
    private static void drivePartitions() throws Exception {
        DefenceClient defences = new DefenceClient();
        List<URI> router = List.of(partition.management("router"));
        KeyedRequests keys = new KeyedRequests(new KeyedRequests.Keys(1_000, 0.99), "celebrity", 0.5, 0.1, 1);
        OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
        try {
            // Until the hot shard has throttled (its panel needs the series): a slow machine's first
            // seconds may not overload it yet (once, four rounds were not enough). Bounded: eight rounds of 4 s.
            PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(5));
            for (int round = 0; round < 8 && scraper.scrape(router.get(0).resolve("/actuator/prometheus"))
                    .sum("chain_partition_requests_seconds_count", Map.of("outcome", "throttled")) == 0; round++) {
                generator.run(LoadSpec.of(partition.url("router"), 300, Duration.ofSeconds(4)).withPlan(keys));
            }
            // The router may still be draining the throttled shard's queue: a switch is retried.
            switchWhenItAnswers(defences, router, Defences.PARTITION_ROUTING, "bounded-load");
            generator.run(LoadSpec.of(partition.url("router"), 300, Duration.ofSeconds(4)).withPlan(keys));
            switchWhenItAnswers(defences, router, Defences.PARTITION_ROUTING, "consistent");
            switchWhenItAnswers(defences, router, Defences.HOT_KEYS, "cache");
            generator.run(LoadSpec.of(partition.url("router"), 300, Duration.ofSeconds(4)).withPlan(keys));
        } finally {
            generator.close();
        }
    }

    /** {@code switchAll}, tried up to 3 times a second apart (a hop that just drained a storm may answer late). */
    private static void switchWhenItAnswers(DefenceClient defences, List<URI> services,
            dev.failurelab.contract.Defence defence, String option) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                defences.switchAll(services, defence, option);
                return;
            } catch (IllegalStateException late) {
                if (attempt == 3) {
                    throw late;
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * The DNS lab's hops: short connection lifetimes and cache TTLs, load, then a SERVFAIL outage on
     * both DNS servers (still active while the test queries) under serve-stale at the edge (stale
     * answers) and none at the middle (unknown-host attempts).
     */
    private static void driveDns() throws Exception {
        AdminHttp http = new AdminHttp();
        for (String hop : List.of("edge", "middle")) {
            http.send("PUT", dns.management(hop).resolve(AdminPaths.SETTINGS),
                    "{\"chain.client.connection-max-lifetime\":\"1s\",\"chain.dns.cache-ttl\":\"1s\"}");
        }
        new DefenceClient().switchAll(List.of(dns.management("edge")), Defences.SERVE_STALE, "refresh");
        OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
        try {
            generator.run(LoadSpec.of(dns.url("edge").resolve("/api/chain"), 100, Duration.ofSeconds(3)));
            new FaultControl(dns.controlUrl()).injectDns("servfail", "all", Duration.ZERO, Duration.ofSeconds(300));
            generator.run(LoadSpec.of(dns.url("edge").resolve("/api/chain"), 100, Duration.ofSeconds(5)));
        } finally {
            generator.close();
        }
    }

    /** A retry storm under a fault, the budget, an overloaded bottom and a stampede under the lock. */
    private static void drive() throws Exception {
        AdminHttp http = new AdminHttp();
        DefenceClient defences = new DefenceClient();
        defences.switchAll(List.of(topology.management("edge"), topology.management("middle")), Defences.RETRY_POLICY,
                "budget");
        // Still active while the test queries (so the fault panels and FaultInjected have data).
        new FaultControl(topology.controlUrl()).injectErrors("bottom", 0.5, 503, Duration.ofSeconds(300));
        defences.switchAll(List.of(topology.management("bottom"), topology.management("replica")),
                Defences.CACHE_STRATEGY, "lock");
        http.send("DELETE", topology.management("bottom").resolve("/admin/cache"), null);
        OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
        try {
            generator.burst(BurstSpec.now(owners().stream().map(r -> r.resolve("/api/top-products")).toList(),
                    200, Duration.ofSeconds(30)));
            generator.burst(BurstSpec.now(List.of(topology.url("bottom").resolve("/api/chain")), 100,
                    Duration.ofSeconds(30)));
            generator.run(LoadSpec.of(topology.url("edge").resolve("/api/chain"), 20, Duration.ofSeconds(10)));
        } finally {
            generator.close();
        }
    }

    @Test
    void everyMetricThatAPanelARuleOrARunbookReads_isExportedByTheServices() {
        PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(5));
        Set<String> exported = new TreeSet<>();
        Map<String, URI> instances = new java.util.LinkedHashMap<>(topology.endpoints().instanceManagements());
        instances.putAll(partition.endpoints().instanceManagements());
        dns.endpoints().instanceManagements().forEach((name, url) -> instances.put("dns-" + name, url));
        for (Map.Entry<String, URI> app : instances.entrySet()) {
            MetricSnapshot snapshot = scraper.scrape(app.getValue().resolve("/actuator/prometheus"));
            assertThat(snapshot.isEmpty()).as(app.getKey() + " answered a scrape").isFalse();
            exported.addAll(snapshot.samples().keySet());
        }
        Set<String> recorded = FILES.recordedNames();
        List<ObservabilityFiles.Query> queries = new ArrayList<>(FILES.dashboardQueries());
        queries.addAll(FILES.ruleQueries());
        queries.addAll(FILES.runbookQueries());
        List<String> missing = new ArrayList<>();
        for (ObservabilityFiles.Query query : queries) {
            for (String name : PromQl.metricNames(query.expr())) {
                if (!exported.contains(name) && !recorded.contains(name) && !LiveDiscoveryTelemetryIT.isDiscovery(name)
                        && !LiveSplitBrainTelemetryIT.isStore(name)) {
                    missing.add(name + " (" + query.where() + ")");
                }
            }
        }
        assertThat(missing).as("metric names no service exports").isEmpty();
        assertThat(queries).as("queries checked").hasSizeGreaterThan(50);
    }

    @Test
    void aRealPrometheus_answersEveryDashboardQueryWithData_andEveryRuleWithoutError() throws Exception {
        for (ObservabilityFiles.Query query : FILES.dashboardQueries()) {
            if (LiveDiscoveryTelemetryIT.readsDiscovery(query) || LiveSplitBrainTelemetryIT.readsStore(query)) {
                continue; // LiveDiscoveryTelemetryIT's and LiveSplitBrainTelemetryIT's, on their own topologies
            }
            await().alias(query.where() + ": " + query.expr()).atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> query(query.expr()).path("data").path("result").size() > 0);
        }
        // A participant's namespace selects only that participant's series: here, where none carries
        // a namespace, one that no series has answers every query with nothing.
        for (ObservabilityFiles.Query query : FILES.dashboardQueriesAsWritten()) {
            JsonNode answer = query(query.withNamespace("failure-lab-nobody").expr());
            assertThat(answer.path("status").asString()).as(query.where()).isEqualTo("success");
            assertThat(answer.path("data").path("result").size()).as(query.where() + " for another namespace")
                    .isZero();
        }
        for (ObservabilityFiles.Query rule : FILES.ruleQueries()) {
            assertThat(query(rule.expr()).path("status").asString()).as(rule.where()).isEqualTo("success");
        }
        JsonNode alerts = get("/api/v1/rules?type=alert").path("data").path("groups");
        assertThat(alerts.toString()).as("Prometheus loaded the workshop's alert rules")
                .contains("RetryAmplificationHigh", "FaultInjected");
        await().alias("the active fault raises FaultInjected").atMost(Duration.ofSeconds(30))
                .until(() -> get("/api/v1/alerts").toString().contains("FaultInjected"));
    }

    private static JsonNode query(String expr) throws Exception {
        return prometheus.query(expr);
    }

    private static JsonNode get(String pathAndQuery) throws Exception {
        return prometheus.get(pathAndQuery);
    }

    private static List<URI> owners() {
        return List.of(topology.url("bottom"), topology.url("replica"));
    }
}
