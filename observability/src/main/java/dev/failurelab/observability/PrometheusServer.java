package dev.failurelab.observability;

import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.io.IOException;
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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (the {@code prometheus} program) with the workshop's own configuration
 * ({@code observability/prometheus/prometheus.yml} and its alert rules), its compose targets
 * rewritten to where an embedded topology's apps answer on loopback: for the tests, and for a
 * chaos drill on a machine without the compose stack ({@code ./lab drill}).
 *
 * <p>Thread-safe: queries may come from any thread.
 */
public final class PrometheusServer implements AutoCloseable {

    /** A duration in a rule: a range selector's {@code [1m]} or a {@code for: 1m}. */
    private static final Pattern RULE_DURATION = Pattern.compile("(\\[|for: )(\\d+)([smh])(\\]|\\s*$)",
            Pattern.MULTILINE);

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
     * with the rules of the {@code observability} folder the process runs in (the tests'), and waits
     * until it is ready.
     */
    static PrometheusServer start(EmbeddedTopology topology, Path work, Duration scrapeInterval) throws Exception {
        return start(List.of(topology), work, scrapeInterval);
    }

    /** As {@link #start(List, ObservabilityFiles, Path, Duration, double)}, for the tests. */
    static PrometheusServer start(List<EmbeddedTopology> topologies, Path work, Duration scrapeInterval)
            throws Exception {
        return start(topologies, new ObservabilityFiles(Path.of("").toAbsolutePath()), work, scrapeInterval, 1);
    }

    /**
     * Starts Prometheus scraping every app of {@code topologies} (the chain's, a lab's own) every
     * {@code scrapeInterval}, with the alert rules of {@code files}, and waits until it is ready.
     *
     * @param timeScale every duration of the rules ({@code for:} and range selectors) times this:
     *                  1 for the workshop's rules, less for a shortened drill (the rules keep their
     *                  shape, only faster; a range never below four scrapes)
     * @throws IllegalStateException if the {@code prometheus} program is not installed or does not
     *                               become ready within 30 s
     */
    public static PrometheusServer start(List<EmbeddedTopology> topologies, ObservabilityFiles files, Path work,
            Duration scrapeInterval, double timeScale) throws IOException, InterruptedException {
        if (!(timeScale > 0 && timeScale <= 1)) {
            throw new IllegalArgumentException("timeScale must be in (0, 1], got " + timeScale);
        }
        Files.createDirectories(work);
        Path rules = files.alertRules();
        if (timeScale != 1) {
            rules = work.resolve("alerts.yml");
            Files.writeString(rules, scaleRules(Files.readString(files.alertRules()), timeScale,
                    scrapeInterval.multipliedBy(4)));
        }
        int port = dev.failurelab.lab.infra.FreePorts.next();
        String interval = scrapeInterval.toSeconds() + "s";
        String config = Files.readString(files.prometheusConfig())
                .replace("scrape_interval: 5s", "scrape_interval: " + interval)
                .replace("evaluation_interval: 5s", "evaluation_interval: " + interval)
                .replace("- alerts.yml", "- " + rules);
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
        for (String composeName : List.of("edge:", "fault-injector:", "router:", "shard-1:", "registry:", "bottom-1:")) {
            if (config.contains(composeName)) {
                throw new IllegalStateException("a compose target is left in the configuration: " + composeName);
            }
        }
        Path file = work.resolve("prometheus.yml");
        Files.writeString(file, config);
        Process process = ExternalTool.require("prometheus").start(work, work.resolve("prometheus.log"),
                "--config.file=" + file, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port);
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(server.url.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroy();
                throw new IllegalStateException("prometheus did not become ready (its log: "
                        + work.resolve("prometheus.log") + ")");
            }
            Thread.sleep(200);
        }
    }

    /**
     * {@code rules} with every {@code for:} and range-selector duration times {@code scale}, whole
     * seconds, a range never shorter than {@code minRange}.
     */
    static String scaleRules(String rules, double scale, Duration minRange) {
        Matcher matcher = RULE_DURATION.matcher(rules);
        StringBuilder scaled = new StringBuilder();
        while (matcher.find()) {
            long unit = switch (matcher.group(3)) {
                case "s" -> 1;
                case "m" -> 60;
                default -> 3600;
            };
            long seconds = Math.max(1, Math.round(Long.parseLong(matcher.group(2)) * unit * scale));
            if (matcher.group(1).equals("[")) {
                seconds = Math.max(seconds, minRange.toSeconds());
            }
            matcher.appendReplacement(scaled, Matcher.quoteReplacement(
                    matcher.group(1) + seconds + "s" + matcher.group(4)));
        }
        matcher.appendTail(scaled);
        return scaled.toString();
    }

    /** Where its HTTP API answers. */
    public URI url() {
        return url;
    }

    /** An instant query's answer. */
    public JsonNode query(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    /**
     * An instant query's first value, or NaN when it has no series (or Prometheus refuses it).
     */
    public double value(String expr) throws IOException, InterruptedException {
        return value(query(expr));
    }

    /** An instant query's first value at {@code at}, or NaN when it has no series then. */
    public double value(String expr, java.time.Instant at) throws IOException, InterruptedException {
        return value(get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&time="
                + at.toEpochMilli() / 1000.0));
    }

    private static double value(JsonNode answer) {
        JsonNode result = answer.path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return Double.NaN;
        }
        String text = result.get(0).path("value").path(1).asString();
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** The names of the alerts firing now, each once. */
    public List<String> firingAlerts() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
            String name = alert.path("labels").path("alertname").asString();
            if (alert.path("state").asString().equals("firing") && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** A GET of Prometheus's HTTP API. */
    public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        process.destroy();
    }
}
