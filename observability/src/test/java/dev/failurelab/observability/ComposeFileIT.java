package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Topology;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The workshop's {@code docker-compose.yml}, without a Docker engine: {@code docker-compose config}
 * accepts it, everything it builds or mounts exists, and it publishes the embedded topology's ports.
 */
class ComposeFileIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");

    /** Every published port but the control API's: loopback unless LAB_BIND says otherwise. */
    private static final String LOOPBACK_BY_DEFAULT = "${LAB_BIND:-127.0.0.1}:";

    /** The compose service of the topology's fault-injector app. */
    private static final String INJECTOR_SERVICE = "fault-injector";

    @Test
    @SuppressWarnings("unchecked")
    void theExerciseOverride_buildsEachExercisesServicesWithTheParticipantsCode_andRunsTheirClasses() throws Exception {
        Path override = ROOT.resolve("docker-compose.exercise.yml");
        ExternalTool.Result config = ExternalTool.require("docker-compose").run(ROOT, "-f", COMPOSE.toString(), "-f",
                override.toString(), "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Map<String, Object>> merged = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(config.output())).get("services");
        java.util.Properties exercise = new java.util.Properties();
        List<Path> exercises;
        try (var files = Files.list(ROOT.resolve("exercises/src/main/resources/exercises"))) {
            exercises = files.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
        }
        assertThat(exercises).as("every lab's exercise").hasSizeGreaterThanOrEqualTo(2);
        for (Path file : exercises) {
            if (file.getFileName().toString().equals("split-brain.properties")) {
                continue; // the split-brain lab's store nodes: its own exercise override (below)
            }
            try (InputStream in = Files.newInputStream(file)) {
                int before = exercise.size();
                exercise.load(in);
                assertThat(exercise.size()).as(file.getFileName() + "'s properties, on services of their own")
                        .isGreaterThan(before);
            }
        }
        for (String key : exercise.stringPropertyNames()) {
            String app = key.substring(0, key.indexOf('.'));
            String env = key.substring(app.length() + 1).toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            Map<String, Object> service = merged.get(app);
            assertThat(((Map<String, Object>) ((Map<String, Object>) service.get("build")).get("args")).get("MODULE"))
                    .as(app + " is built from the exercises module").isEqualTo("exercises");
            assertThat(String.valueOf(((Map<String, Object>) service.get("environment")).get(env)))
                    .as(app + " sets " + env + " as ./lab up --exercise does").isEqualTo(exercise.getProperty(key));
            assertThat(((Map<String, Object>) service.get("environment")).get("SERVER_PORT"))
                    .as(app + " keeps its own settings").isNotNull();
        }
        assertThat(((Map<String, Object>) ((Map<String, Object>) merged.get("fault-injector").get("build")).get("args"))
                .get("MODULE")).as("the rest is untouched").isEqualTo("fault-injector");
        assertThat(Files.readString(ROOT.resolve("exercises/pom.xml")))
                .as("the exercises module packages the chain service with the participant's classes")
                .contains("<classifier>exec</classifier>", "<mainClass>dev.failurelab.chain.ChainServiceApplication</mainClass>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDnsOverride_pointsTheHopsAtTheLabsDns_withTheTopologysAndTheProfilesSettings() throws Exception {
        ExternalTool.Result config = ExternalTool.require("docker-compose").run(ROOT, "-f", COMPOSE.toString(), "-f",
                ROOT.resolve("docker-compose.dns.yml").toString(), "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Map<String, Object>> merged = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(config.output())).get("services");
        Topology dns = Topology.load("dns");
        java.util.Properties lab = new java.util.Properties();
        try (InputStream in = ComposeFileIT.class.getResourceAsStream("/dns.properties")) {
            lab.load(in);
        }
        for (AppSpec app : dns.apps()) {
            String service = app.kind().equals(Topology.INJECTOR_KIND) ? INJECTOR_SERVICE : app.name();
            Map<String, Object> environment = (Map<String, Object>) merged.get(service).get("environment");
            app.properties().forEach((key, value) -> {
                String env = key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
                // Where the topology names a loopback address, compose names the fault injector.
                String expected = value.replace("127.0.0.1", INJECTOR_SERVICE);
                assertThat(String.valueOf(environment.get(env))).as(service + " sets " + key + " as the topology data"
                        + " does").isEqualTo(expected);
            });
            lab.stringPropertyNames().stream().filter(k -> k.startsWith("topology." + app.name() + ".")).forEach(key ->
                    assertThat(String.valueOf(environment.get(key.substring(("topology." + app.name() + ".").length())
                            .toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))))
                            .as(service + " sets " + key + " as the lab's profile does").isEqualTo(lab.getProperty(key)));
            if (app.downstream() != null) {
                AppSpec next = dns.app(app.downstream()).orElseThrow();
                assertThat(environment.get("CHAIN_DOWNSTREAM_URL")).as(service + " calls its next hop by name")
                        .isEqualTo("http://" + next.name() + ".failure-lab.test:" + next.proxyPort());
            }
        }
        assertThat(((Map<String, Object>) merged.get("edge").get("environment")).get("SERVER_PORT"))
                .as("the rest is untouched").isEqualTo("8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDiscoveryOverride_runsTheTopologysRegistryAndBottoms_withTheProfilesSettings_andPrometheusScrapesThem()
            throws Exception {
        ExternalTool.Result config = ExternalTool.require("docker-compose").run(ROOT, "-f", COMPOSE.toString(), "-f",
                ROOT.resolve("docker-compose.discovery.yml").toString(), "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Map<String, Object>> merged = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(config.output())).get("services");
        Topology discovery = Topology.load("service-discovery");
        java.util.Properties lab = new java.util.Properties();
        try (InputStream in = ComposeFileIT.class.getResourceAsStream("/service-discovery.properties")) {
            lab.load(in);
        }
        String prometheus = Files.readString(ROOT.resolve("observability/prometheus/prometheus.yml"));
        AppSpec registry = discovery.app("registry").orElseThrow();
        for (AppSpec app : discovery.apps()) {
            if (app.kind().equals(Topology.INJECTOR_KIND)) {
                continue;
            }
            for (int i = 0; i < app.replicas(); i++) {
                String name = app.instanceNames().get(i);
                Map<String, Object> service = merged.get(name);
                assertThat(service).as("compose service for " + name).isNotNull();
                Map<String, Object> environment = (Map<String, Object>) service.get("environment");
                assertThat(environment.get("SERVER_PORT")).as(name).isEqualTo(String.valueOf(app.ports().get(i)));
                assertThat(environment.get("MANAGEMENT_SERVER_PORT")).as(name)
                        .isEqualTo(String.valueOf(app.managementPort(i)));
                assertThat(environment.get("CHAIN_ROLE")).as(name).isEqualTo(app.role());
                lab.stringPropertyNames().stream().filter(k -> k.startsWith("topology." + app.name() + ".")).forEach(
                        key -> assertThat(String.valueOf(environment.get(key.substring(("topology." + app.name()
                                + ".").length()).toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                                .replace('-', '_')))).as(name + " sets " + key + " as the lab's profile does")
                                .isEqualTo(lab.getProperty(key)));
                List<Object> command = (List<Object>) service.get("command");
                if (app.registry() != null) {
                    assertThat(command).as(name + " reaches the registry through its proxy")
                            .contains("--eureka.client.enabled=true", "--eureka.client.service-url.defaultZone=http://"
                                    + INJECTOR_SERVICE + ":" + registry.proxyPort() + "/eureka/");
                }
                if (app.registry() != null && app.downstream() == null) {
                    assertThat(command).as(name + " registers as its instance")
                            .contains("--eureka.instance.instance-id=" + name, "--eureka.instance.appname=" + app.name());
                }
                if (!name.equals("middle")) {
                    assertThat(prometheus).as("prometheus.yml scrapes " + name)
                            .contains("\"" + name + ":" + app.managementPort(i) + "\"");
                }
            }
        }
        Map<String, Object> middle = (Map<String, Object>) merged.get("middle").get("environment");
        assertThat(middle.get("CHAIN_DISCOVERY_SERVICE")).isEqualTo("bottom");
        assertThat(middle.get("CHAIN_DOWNSTREAM_URL")).isEqualTo("http://bottom/");
        Map<String, Object> injector = (Map<String, Object>) merged.get(INJECTOR_SERVICE).get("environment");
        assertThat(injector).as("the registry's fault proxy").containsEntry("FAULT_INJECTOR_PROXIES_2_NAME", "registry")
                .containsEntry("FAULT_INJECTOR_PROXIES_2_LISTEN", String.valueOf(registry.proxyPort()))
                .containsEntry("FAULT_INJECTOR_PROXIES_0_NAME", "middle");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSplitBrainOverride_runsTheTopologysStoreNodes_onAnEnsembleOfThree_andPrometheusScrapesThem()
            throws Exception {
        ExternalTool.Result config = ExternalTool.require("docker-compose").run(ROOT, "-f", COMPOSE.toString(), "-f",
                ROOT.resolve("docker-compose.split-brain.yml").toString(), "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Map<String, Object>> merged = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(config.output())).get("services");
        Topology splitBrain = Topology.load("split-brain");
        AppSpec store = splitBrain.app("store").orElseThrow();
        String prometheus = Files.readString(ROOT.resolve("observability/prometheus/prometheus.yml"));
        for (int i = 0; i < store.replicas(); i++) {
            String name = store.instanceNames().get(i);
            Map<String, Object> service = merged.get(name);
            assertThat(service).as("compose service for " + name).isNotNull();
            Map<String, Object> environment = (Map<String, Object>) service.get("environment");
            assertThat(environment.get("SERVER_PORT")).as(name).isEqualTo(String.valueOf(store.ports().get(i)));
            assertThat(environment.get("MANAGEMENT_SERVER_PORT")).as(name).isEqualTo(String.valueOf(store.managementPort(i)));
            assertThat(environment.get("CHAIN_ROLE")).as(name).isEqualTo(store.role());
            assertThat(environment.get("CHAIN_STORE_NODE")).as(name).isEqualTo(name);
            assertThat(environment.get("CHAIN_STORE_ZOOKEEPER")).as(name)
                    .isEqualTo("zookeeper-1:2181,zookeeper-2:2181,zookeeper-3:2181");
            List<Object> command = (List<Object>) service.get("command");
            for (int peer = 0; peer < store.replicas(); peer++) {
                String other = store.instanceNames().get(peer);
                if (peer != i) {
                    assertThat(command).as(name + " knows its peer " + other).contains("--chain.store.peers[" + other
                            + "]=http://" + other + ":" + store.ports().get(peer));
                }
            }
            assertThat(prometheus).as("prometheus.yml scrapes " + name)
                    .contains("\"" + name + ":" + store.managementPort(i) + "\"");
        }
        for (int id = 1; id <= 3; id++) {
            Map<String, Object> zookeeper = (Map<String, Object>) merged.get("zookeeper-" + id).get("environment");
            assertThat(zookeeper).as("zookeeper-" + id).containsEntry("ZOO_MY_ID", String.valueOf(id))
                    .containsEntry("ZOO_TICK_TIME", "250");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSplitBrainExerciseOverride_buildsTheStoreNodesWithTheParticipantsQuorum() throws Exception {
        ExternalTool.Result config = ExternalTool.require("docker-compose").run(ROOT, "-f", COMPOSE.toString(), "-f",
                ROOT.resolve("docker-compose.split-brain.yml").toString(), "-f",
                ROOT.resolve("docker-compose.split-brain-exercise.yml").toString(), "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Map<String, Object>> merged = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(config.output())).get("services");
        java.util.Properties exercise = new java.util.Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve("exercises/src/main/resources/exercises/split-brain.properties"))) {
            exercise.load(in);
        }
        assertThat(exercise.stringPropertyNames()).isNotEmpty();
        Topology splitBrain = Topology.load("split-brain");
        for (String key : exercise.stringPropertyNames()) {
            String app = key.substring(0, key.indexOf('.'));
            String env = key.substring(app.length() + 1).toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            for (String name : splitBrain.app(app).orElseThrow().instanceNames()) {
                Map<String, Object> service = merged.get(name);
                assertThat(((Map<String, Object>) ((Map<String, Object>) service.get("build")).get("args")).get("MODULE"))
                        .as(name + " is built from the exercises module").isEqualTo("exercises");
                Map<String, Object> environment = (Map<String, Object>) service.get("environment");
                assertThat(String.valueOf(environment.get(env))).as(name + " sets " + env + " as ./lab up --exercise"
                        + " does").isEqualTo(exercise.getProperty(key));
                assertThat(environment.get("CHAIN_ROLE")).as(name + " keeps its own settings").isEqualTo("store");
            }
        }
    }

    @Test
    void dockerComposeConfig_acceptsTheFile() throws Exception {
        ExternalTool.Result result = ExternalTool.require("docker-compose").run(ROOT, "-f", COMPOSE.toString(),
                "config", "-q");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyBuildContextDockerfileAndMountedPathExists() throws Exception {
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            Map<String, Object> build = (Map<String, Object>) service.getValue().get("build");
            if (build != null) {
                Path context = ROOT.resolve(String.valueOf(build.get("context"))).normalize();
                assertThat(context).as(service.getKey() + " build context").isDirectory();
                assertThat(context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"))))
                        .as(service.getKey() + " Dockerfile").isRegularFile();
                String module = String.valueOf(((Map<String, Object>) build.get("args")).get("MODULE"));
                assertThat(ROOT.resolve(module).resolve("pom.xml")).as(service.getKey() + " MODULE").isRegularFile();
            }
            for (Object volume : (List<Object>) service.getValue().getOrDefault("volumes", List.of())) {
                String hostPath = String.valueOf(volume).split(":")[0];
                assertThat(ROOT.resolve(hostPath).normalize()).as(service.getKey() + " mounts " + hostPath).exists();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void itPublishesTheChainTopologysPorts_andEachServiceListensOnItsPublishedPort() throws Exception {
        Topology chain = Topology.chain();
        Map<String, Map<String, Object>> services = services();
        List<String> injectorPorts = new ArrayList<>();
        for (AppSpec app : chain.apps()) {
            int port = app.ports().get(0);
            if (app.kind().equals(Topology.INJECTOR_KIND)) {
                // The control API on the host's loopback only; the proxies as the apps they front.
                injectorPorts.add("127.0.0.1:" + port + ":" + port); // loopback whatever LAB_BIND says
                continue;
            }
            Map<String, Object> service = services.get(app.name());
            assertThat(service).as("compose service for the topology's app " + app.name()).isNotNull();
            int management = app.managementPort(0);
            // The management port (actuator, admin API) on the host's loopback only, like the control API.
            assertThat((List<Object>) service.get("ports")).as(app.name())
                    .containsExactly(LOOPBACK_BY_DEFAULT + port + ":" + port, "127.0.0.1:" + management + ":" + management);
            Map<String, Object> environment = (Map<String, Object>) service.get("environment");
            assertThat(environment.get("SERVER_PORT")).as(app.name() + " SERVER_PORT").isEqualTo(String.valueOf(port));
            assertThat(environment.get("MANAGEMENT_SERVER_PORT")).as(app.name() + " MANAGEMENT_SERVER_PORT")
                    .isEqualTo(String.valueOf(management));
            // The app's own defaults in the topology data, as Spring reads them from the environment.
            app.properties().forEach((key, value) -> assertThat(String.valueOf(environment.get(
                    key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))))
                    .as(app.name() + " sets " + key + " as the topology data does").isEqualTo(value));
            if (app.proxyPort() != null) {
                injectorPorts.add(LOOPBACK_BY_DEFAULT + app.proxyPort() + ":" + app.proxyPort());
            }
        }
        assertThat((List<Object>) services.get(INJECTOR_SERVICE).get("ports")).as("fault-injector")
                .containsExactlyInAnyOrderElementsOf(injectorPorts);
        assertThat((List<Object>) services.get("prometheus").get("ports")).containsExactly(LOOPBACK_BY_DEFAULT + "9090:9090");
        assertThat((List<Object>) services.get("grafana").get("ports")).containsExactly(LOOPBACK_BY_DEFAULT + "3000:3000");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPublishedPort_isOnLoopbackByDefault_andNothingCanStopPrometheus() throws Exception {
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            for (Object published : (List<Object>) service.getValue().getOrDefault("ports", List.of())) {
                assertThat(String.valueOf(published)).as(service.getKey() + " publishes " + published)
                        .matches("(\\$\\{LAB_BIND:-127\\.0\\.0\\.1\\}|127\\.0\\.0\\.1):\\d+:\\d+");
            }
        }
        assertThat(String.valueOf(services().get("prometheus").get("command"))).doesNotContain("enable-lifecycle");
        // What docker-compose itself makes of it, with LAB_BIND unset: every host IP is loopback.
        ExternalTool.Result config = ExternalTool.require("docker-compose").run(ROOT, "-f", COMPOSE.toString(), "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        java.util.regex.Matcher published = java.util.regex.Pattern.compile("(?m)^\\s*- (\\S+):(\\d+):(\\d+)/tcp$")
                .matcher(config.output());
        int count = 0;
        while (published.find()) {
            count++;
            assertThat(published.group(1)).as("host address of " + published.group()).isEqualTo("127.0.0.1");
        }
        assertThat(count).as("published ports seen in docker-compose config: the chain's 7, its 4 management ports,"
                + " Prometheus, Grafana; the hot-partition profile's router and 8 shards, each with its management"
                + " port").isEqualTo(31);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHotPartitionProfile_publishesItsTopologysPorts_andPrometheusScrapesEveryInstance() throws Exception {
        Topology partition = Topology.load("hot-partition");
        Map<String, Map<String, Object>> services = services();
        String config = Files.readString(ROOT.resolve("observability/prometheus/prometheus.yml"));
        for (AppSpec app : partition.apps()) {
            for (int i = 0; i < app.replicas(); i++) {
                String name = app.instanceNames().get(i);
                int port = app.ports().get(i);
                int management = app.managementPort(i);
                Map<String, Object> service = services.get(name);
                assertThat(service).as("compose service for the instance " + name).isNotNull();
                assertThat((List<Object>) service.get("profiles")).as(name).containsExactly("hot-partition");
                assertThat((List<Object>) service.get("ports")).as(name)
                        .containsExactly(LOOPBACK_BY_DEFAULT + port + ":" + port, "127.0.0.1:" + management + ":" + management);
                Map<String, Object> environment = (Map<String, Object>) service.get("environment");
                assertThat(environment.get("SERVER_PORT")).as(name).isEqualTo(String.valueOf(port));
                assertThat(environment.get("MANAGEMENT_SERVER_PORT")).as(name).isEqualTo(String.valueOf(management));
                assertThat(environment.get("CHAIN_ROLE")).as(name).isEqualTo(app.role());
                app.properties().forEach((key, value) -> assertThat(String.valueOf(environment.get(
                        key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))))
                        .as(name + " sets " + key + " as the topology data does").isEqualTo(value));
                if (app.replicas() > 1) {
                    assertThat(environment.get("CHAIN_SHARD_NUMBER")).as(name).isEqualTo(String.valueOf(i + 1));
                }
                assertThat(config).as("prometheus.yml scrapes " + name).contains("\"" + name + ":" + management + "\"");
            }
        }
        // The router calls every shard at its compose name and port, in the shards' order.
        AppSpec shards = partition.app("shard").orElseThrow();
        String expected = String.join(",", java.util.stream.IntStream.range(0, shards.replicas())
                .mapToObj(i -> "http://" + shards.instanceNames().get(i) + ":" + shards.ports().get(i)).toList());
        assertThat(String.valueOf(((Map<String, Object>) services.get("router").get("environment"))
                .get("CHAIN_PARTITION_SHARDS")).trim()).isEqualTo(expected);
        // The shards run the lab's profile, as ./lab up --lab hot-partition applies it.
        java.util.Properties lab = new java.util.Properties();
        try (InputStream in = ComposeFileIT.class.getResourceAsStream("/hot-partition.properties")) {
            lab.load(in);
        }
        Map<String, Object> shardEnvironment = (Map<String, Object>) services.get("shard-1").get("environment");
        lab.stringPropertyNames().stream().filter(k -> k.startsWith("topology.shard.")).forEach(key -> assertThat(
                String.valueOf(shardEnvironment.get(key.substring("topology.shard.".length())
                        .toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))))
                .as("shard-1 sets " + key + " as the lab's profile does").isEqualTo(lab.getProperty(key)));
    }

    @Test
    void prometheusScrapesEveryAppOfTheChainTopology_atItsComposeNameAndPort() throws Exception {
        String config = Files.readString(ROOT.resolve("observability/prometheus/prometheus.yml"));
        for (AppSpec app : Topology.chain().apps()) {
            String service = app.kind().equals(Topology.INJECTOR_KIND) ? INJECTOR_SERVICE : app.name();
            assertThat(config).as("prometheus.yml scrapes " + app.name())
                    .contains("\"" + service + ":" + app.managementPort(0) + "\"");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAMemoryLimit_aPinnedImage_andAHealthcheckOrAHealthyDependency() throws Exception {
        for (Map.Entry<String, Map<String, Object>> entry : services().entrySet()) {
            Map<String, Object> service = entry.getValue();
            assertThat(service).as(entry.getKey() + " mem_limit").containsKey("mem_limit");
            String image = String.valueOf(service.get("image"));
            assertThat(image).as(entry.getKey() + " image pinned").matches(".+:[^:]*\\d[^:]*").doesNotEndWith(":latest");
            Map<String, Object> dependsOn = (Map<String, Object>) service.getOrDefault("depends_on", Map.of());
            dependsOn.forEach((dependency, condition) -> assertThat(((Map<String, Object>) condition).get("condition"))
                    .as(entry.getKey() + " waits for " + dependency).isEqualTo("service_healthy"));
            boolean buildsTheDockerfile = service.containsKey("build");
            boolean disabled = service.get("healthcheck") instanceof Map<?, ?> check && Boolean.TRUE.equals(check.get("disable"));
            assertThat(service.containsKey("healthcheck") || buildsTheDockerfile)
                    .as(entry.getKey() + " has a healthcheck (its own, or the Dockerfile's)").isTrue();
            if (disabled) {
                assertThat(dependsOn).as(entry.getKey() + " (no HTTP) starts after a healthy service").isNotEmpty();
            }
        }
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("HEALTHCHECK", "USER lab", "AS build");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws Exception {
        try (InputStream in = Files.newInputStream(COMPOSE)) {
            Map<String, Object> root = new Yaml().load(in);
            Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) root.get("services");
            assertThat(new ArrayList<>(services.keySet())).contains("redis", "postgres", "edge", "middle", "bottom",
                    "replica", "fault-injector", "load", "prometheus", "grafana");
            return services;
        }
    }
}
