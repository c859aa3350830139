package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.io.IOException;
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
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus for the tests, with the workshop's own configuration
 * ({@code observability/prometheus/prometheus.yml} and its alert rules), its compose targets
 * rewritten to where an embedded topology's apps answer on loopback.
 */
final class PrometheusServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final URI url;

    private PrometheusServer(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts Prometheus scraping {@code topology} every {@code scrapeInterval} (the workshop's is 5 s),
     * and waits until it is ready.
     */
    static PrometheusServer start(EmbeddedTopology topology, Path work, Duration scrapeInterval) throws Exception {
        return start(List.of(topology), work, scrapeInterval);
    }

    /**
     * Starts Prometheus scraping every app of {@code topologies} (the chain's, a lab's own) every
     * {@code scrapeInterval}, and waits until it is ready.
     */
    static PrometheusServer start(List<EmbeddedTopology> topologies, Path work, Duration scrapeInterval)
            throws Exception {
        ObservabilityFiles files = new ObservabilityFiles(Path.of("").toAbsolutePath());
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String interval = scrapeInterval.toSeconds() + "s";
        String config = Files.readString(files.prometheusConfig())
                .replace("scrape_interval: 5s", "scrape_interval: " + interval)
                .replace("evaluation_interval: 5s", "evaluation_interval: " + interval)
                .replace("- alerts.yml", "- " + files.alertRules());
        // Each compose target (service name, management port) becomes the embedded instance's address.
        // An app no topology here has (e.g. the chain without its cache) is left out of the targets.
        // The service-discovery and split-brain labs' compose targets (registry, bottom-N, store-N) are
        // left out here: their embedded topologies, when running, are jobs of their own (below).
        List<String> ownJobs = List.of("service-discovery", "split-brain");
        for (Topology composed : List.of(Topology.chain(), Topology.load("hot-partition"),
                Topology.load("service-discovery"), Topology.load("split-brain"))) {
            for (AppSpec app : composed.apps()) {
                for (int i = 0; i < app.replicas(); i++) {
                    String service = app.kind().equals(Topology.INJECTOR_KIND) ? "fault-injector"
                            : app.instanceNames().get(i);
                    String composeTarget = "\"" + service + ":" + app.managementPort(i) + "\"";
                    int instance = i;
                    java.util.Optional<EmbeddedTopology> running = topologies.stream()
                            .filter(t -> t.topology().name().equals(composed.name()) && t.topology().has(app.name())
                                    && !ownJobs.contains(composed.name()))
                            .findFirst();
                    config = running.isPresent()
                            ? config.replace(composeTarget, "\"127.0.0.1:" + running.get().endpoints()
                                    .managements(app.name()).get(instance).getPort() + "\"")
                            : config.replace(", " + composeTarget, "").replace(composeTarget + ", ", "")
                                    .replace(composeTarget, "");
                }
            }
        }
        // A lab whose compose form runs on the chain's own services (the DNS lab's override) is a
        // topology of its own here: a job of its own, for every instance, the injector included.
        List<String> composedNames = List.of(Topology.chain().name(), Topology.load("hot-partition").name());
        StringBuilder extra = new StringBuilder();
        for (EmbeddedTopology running : topologies) {
            if (composedNames.contains(running.topology().name())) {
                continue;
            }
            List<String> targets = running.endpoints().instanceManagements().values().stream()
                    .map(uri -> "\"127.0.0.1:" + uri.getPort() + "\"").distinct().toList();
            extra.append("  - job_name: ").append(running.topology().name()).append("-lab\n")
                    .append("    metrics_path: /actuator/prometheus\n    static_configs:\n      - targets: [")
                    .append(String.join(", ", targets)).append("]\n");
        }
        config = config.stripTrailing() + "\n" + extra;
        assertThat(config).doesNotContain("edge:", "fault-injector:", "router:", "shard-1:", "registry:", "bottom-1:");
        Path file = work.resolve("prometheus.yml");
        Files.writeString(file, config);
        Process process = ExternalTool.require("prometheus").start(work, work.resolve("prometheus.log"),
                "--config.file=" + file, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port);
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> HTTP.send(
                HttpRequest.newBuilder(server.url.resolve("/-/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return server;
    }

    /** An instant query's answer. */
    JsonNode query(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    /** A GET of Prometheus's HTTP API. */
    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        process.destroy();
    }
}
