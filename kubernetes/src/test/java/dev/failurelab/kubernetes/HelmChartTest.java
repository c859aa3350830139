package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.failurelab.lab.topology.Topology;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart, rendered offline by Helm's own library (helm-java: {@code helm lint} and {@code helm
 * template}, no cluster), every manifest parsed into fabric8's Kubernetes model, and the invariants a
 * workshop relies on checked: a namespace and a quota per participant that the stack fits in,
 * resources on every container, probes and scrape annotations on the management port, nobody running
 * as root, and the ports, roles and names of docker-compose.yml and of the embedded topology.
 */
class HelmChartTest {

    private static final Path ROOT = RenderedChart.ROOT;
    private static final Path CHART = RenderedChart.CHART;

    private static List<HasMetadata> render(Path values) {
        return RenderedChart.render(values);
    }

    private static List<HasMetadata> render(Path values, Map<String, String> set) {
        return RenderedChart.render(values, set);
    }

    private static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> kind) {
        return RenderedChart.of(objects, kind);
    }

    private static void assertFitsItsQuota(List<HasMetadata> objects) {
        RenderedChart.assertFitsItsQuota(objects);
    }

    private static Optional<Integer> port(Container container, String name) {
        return RenderedChart.port(container, name);
    }

    private static String env(Container container, String name) {
        return RenderedChart.env(container, name);
    }

    @Test
    void theChart_passesHelmLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void oneParticipant_getsANamespace_aQuota_andTheWholeStack_thatFitsInIt() {
        List<HasMetadata> objects = render(null);
        assertThat(of(objects, Namespace.class)).extracting(n -> n.getMetadata().getName())
                .containsExactly("failure-lab-lab");
        assertThat(objects.stream().filter(o -> !(o instanceof ConfigMap)).toList()).allSatisfy(o -> assertThat(
                o instanceof Namespace || "failure-lab-lab".equals(
                o.getMetadata().getNamespace())).as(o.getKind() + " " + o.getMetadata().getName() + ": in the"
                + " participant's namespace").isTrue());
        assertThat(of(objects, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("redis", "postgres", "bottom", "replica", "middle", "edge", "fault-injector");
        assertFitsItsQuota(objects);
    }

    @Test
    void everyContainer_inEitherMode_hasResources_runsAsNonRoot_andCannotEscalate() {
        List<HasMetadata> both = new java.util.ArrayList<>(render(null));
        both.addAll(render(CHART.resolve("values-instructor.yaml")));
        for (Deployment deployment : of(both, Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            String name = deployment.getMetadata().getName();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name + ": runAsNonRoot").isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name + ": a user other than root").isPositive();
            for (Container container : pod.getContainers()) {
                assertThat(container.getResources().getRequests()).as(name + ": requests").containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(name + ": limits").containsKeys("cpu", "memory");
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name).contains("ALL");
                assertThat(container.getReadinessProbe()).as(name + ": readiness").isNotNull();
                assertThat(container.getLivenessProbe()).as(name + ": liveness").isNotNull();
            }
        }
    }

    @Test
    void theJavaServices_probeAndAreScrapedOnTheirManagementPort() {
        for (Deployment deployment : of(render(null), Deployment.class)) {
            String name = deployment.getMetadata().getName();
            if (List.of("redis", "postgres").contains(name)) {
                continue;
            }
            PodTemplateSpec template = deployment.getSpec().getTemplate();
            Container container = template.getSpec().getContainers().get(0);
            int management = port(container, "management").orElseThrow();
            for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                    container.getReadinessProbe())) {
                assertThat(probe.getHttpGet().getPort()).as(name + ": a probe on the management port")
                        .isEqualTo(new IntOrString("management"));
                assertThat(probe.getHttpGet().getPath()).startsWith("/actuator/health/");
            }
            Map<String, String> annotations = template.getMetadata().getAnnotations();
            assertThat(annotations).as(name + ": scraped").containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/path", "/actuator/prometheus")
                    .containsEntry("prometheus.io/port", String.valueOf(management));
        }
    }

    @Test
    void theChain_hasComposesPortsRolesAndNames_andTheEmbeddedTopologysPorts() throws Exception {
        List<HasMetadata> objects = render(null);
        Map<String, Map<String, Object>> compose = RenderedChart.composeServices("docker-compose.yml");
        Map<String, Integer> topology = Topology.chain().ports();
        for (String hop : List.of("edge", "middle", "bottom", "replica")) {
            Deployment deployment = of(objects, Deployment.class).stream()
                    .filter(d -> d.getMetadata().getName().equals(hop)).findFirst().orElseThrow();
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> composeEnv = (Map<String, Object>) compose.get(hop).get("environment");
            int http = port(container, "http").orElseThrow();
            int management = port(container, "management").orElseThrow();
            assertThat(http).as(hop + ": compose's SERVER_PORT").isEqualTo(Integer.parseInt(String.valueOf(
                    composeEnv.get("SERVER_PORT"))));
            assertThat(management).as(hop + ": compose's MANAGEMENT_SERVER_PORT").isEqualTo(Integer.parseInt(
                    String.valueOf(composeEnv.get("MANAGEMENT_SERVER_PORT"))));
            assertThat(http).as(hop + ": the embedded topology's port").isEqualTo(topology.get(hop));
            assertThat(management).as(hop + ": the embedded topology's management port")
                    .isEqualTo(topology.get(hop + "-management"));
            String role = env(container, "CHAIN_ROLE");
            assertThat(role).as(hop + ": its role, as compose gives it").isEqualTo(composeEnv.get("CHAIN_ROLE"));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .as(hop + ": the pod's role label is the role its meters carry").containsEntry("failure-lab.dev/role", role);
            Object downstream = composeEnv.get("CHAIN_DOWNSTREAM_URL");
            assertThat(env(container, "CHAIN_DOWNSTREAM_URL")).as(hop + ": the next hop, as compose calls it")
                    .isEqualTo(downstream == null ? null : String.valueOf(downstream));
        }
        assertThat(topology.get("injector")).as("the fault injector's control port").isEqualTo(8474);
    }

    @Test
    void everyServiceName_andPortTheStackCalls_exists_andEveryServiceSelectsItsPods_inEveryModeAndLab() {
        for (Map<String, String> set : RenderedChart.everyModeAndLab()) {
            List<HasMetadata> objects = render(null, set);
            List<Service> services = of(objects, Service.class);
            for (Deployment deployment : of(objects, Deployment.class)) {
                for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                    List<String> values = new java.util.ArrayList<>();
                    container.getEnv().forEach(v -> values.add(v.getValue()));
                    if (container.getArgs() != null) {
                        container.getArgs().forEach(a -> values.add(a.replaceFirst("^--[^=]+=", "")));
                    }
                    for (String value : values) {
                        for (String address : addresses(value)) {
                            String host = address.substring(0, address.indexOf(':'));
                            int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
                            assertThat(services).as(set + " " + deployment.getMetadata().getName() + ": " + value
                                    + ": a Service of that name and port").anySatisfy(service -> {
                                        assertThat(service.getMetadata().getName()).isEqualTo(host);
                                        assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(
                                                p.getPort()).isEqualTo(port));
                                    });
                        }
                    }
                }
            }
            for (Service service : services) {
                Deployment target = of(objects, Deployment.class).stream().filter(d -> d.getSpec().getTemplate()
                        .getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                        .findFirst().orElseThrow(() -> new AssertionError(set + " " + service.getMetadata().getName()
                                + ": selects no pod"));
                Container container = target.getSpec().getTemplate().getSpec().getContainers().get(0);
                service.getSpec().getPorts().forEach(p -> assertThat(port(container, p.getTargetPort().getStrVal()))
                        .as(set + " " + service.getMetadata().getName() + " " + p.getName() + ": a named port of its pod")
                        .isPresent());
            }
        }
    }

    /**
     * The addresses {@code value} names, host and port: URLs, host:port lists (ZooKeeper's). Not the
     * DNS lab's names (middle.failure-lab.test: its own DNS servers answer them) nor a registry's
     * service name (http://bottom/: Eureka answers it).
     */
    private static List<String> addresses(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> addresses = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            java.util.regex.Matcher address = java.util.regex.Pattern
                    .compile("^(?:(?:http|redis|jdbc:postgresql)://)?([a-z][a-z0-9-]*:[0-9]+)(?:/.*)?$").matcher(part);
            if (address.matches()) {
                addresses.add(address.group(1));
            }
        }
        return addresses;
    }

    @Test
    void theInstructorsValues_stampOutThirtyParticipants_eachScrapedByAPodMonitor() {
        List<HasMetadata> objects = render(CHART.resolve("values-instructor.yaml"));
        assertThat(of(objects, Namespace.class)).hasSize(30).extracting(n -> n.getMetadata().getName())
                .contains("failure-lab-p01", "failure-lab-p30");
        assertThat(of(objects, ResourceQuota.class)).hasSize(30);
        assertThat(of(objects, Deployment.class)).as("one JVM, Redis and PostgreSQL each").hasSize(30 * 3);
        assertFitsItsQuota(objects.stream().filter(o -> "failure-lab-p07".equals(o.getMetadata().getNamespace()))
                .toList());
        List<GenericKubernetesResource> monitors = of(objects, GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("PodMonitor")).toList();
        assertThat(monitors).hasSize(30).allSatisfy(monitor -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> endpoints = (List<Map<String, Object>>) ((Map<String, Object>) monitor
                    .getAdditionalProperties().get("spec")).get("podMetricsEndpoints");
            assertThat(endpoints).as("every management port of the one JVM").extracting(e -> e.get("port"))
                    .containsExactlyInAnyOrder("p9080", "p9082", "p9084", "p9085", "p8474");
            assertThat(endpoints).allSatisfy(e -> assertThat(e).containsEntry("path", "/actuator/prometheus"));
        });
    }

    @Test
    void theEmbeddedMode_runsTheChainInOneJvm_onTheEmbeddedTopologysPorts_behindTheSameServices() {
        List<HasMetadata> objects = render(CHART.resolve("values-instructor.yaml")).stream()
                .filter(o -> o instanceof Namespace ? o.getMetadata().getName().equals("failure-lab-p07")
                        : "failure-lab-p07".equals(o.getMetadata().getNamespace())).toList();
        Deployment lab = of(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("lab"))
                .findFirst().orElseThrow();
        Container jvm = lab.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(jvm.getArgs()).containsExactly("up", "--bind", "0.0.0.0");
        // A rollout (helm upgrade --set lab=...) replaces the JVM: a rolling update would start the new
        // one beside the old, and two do not fit the participant's quota.
        BigDecimal quotaMemory = of(objects, ResourceQuota.class).get(0).getSpec().getHard().get("requests.memory")
                .getNumericalAmount();
        BigDecimal stackMemory = RenderedChart.containers(objects).stream()
                .map(c -> c.getResources().getRequests().get("memory").getNumericalAmount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(stackMemory.add(jvm.getResources().getRequests().get("memory").getNumericalAmount()))
                .as("a second JVM beside the first, within the quota").isGreaterThan(quotaMemory);
        assertThat(lab.getSpec().getStrategy().getType()).as("one JVM at a time").isEqualTo("Recreate");
        // Beside its heap the one JVM needs room for every app's threads, code and buffers: 323 MB
        // measured under the stampede lab (./bench stack-cost: resident 1,129 MB with an 806 MiB heap).
        java.util.regex.Matcher percentage = java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
                .matcher(env(jvm, "JAVA_TOOL_OPTIONS"));
        assertThat(percentage.find()).as("the JVM's heap is a share of its limit").isTrue();
        double limit = jvm.getResources().getLimits().get("memory").getNumericalAmount().doubleValue();
        double heap = limit * Integer.parseInt(percentage.group(1)) / 100;
        assertThat((limit - heap) / (1 << 20)).as("MiB beside the heap, within the container's limit")
                .isGreaterThanOrEqualTo(323 * 1.5);
        assertThat(jvm.getPorts()).extracting(ContainerPort::getContainerPort).as("the embedded topology's ports")
                .containsExactlyInAnyOrderElementsOf(Topology.chain().ports().values());
        assertThat(jvm.getReadinessProbe().getHttpGet().getPort()).as("the edge's management port, the last to start")
                .isEqualTo(new IntOrString("p9080"));
        assertThat(port(jvm, "p9080")).contains(Topology.chain().ports().get("edge-management"));
        assertThat(env(jvm, "LAB_REDIS_URL")).isEqualTo("redis://redis:6379");
        List<Service> services = of(objects, Service.class);
        assertThat(services).extracting(s -> s.getMetadata().getName()).as("the services mode's names")
                .containsExactlyInAnyOrder("redis", "postgres", "edge", "middle", "bottom", "replica", "fault-injector");
        for (Service service : services) {
            if (List.of("redis", "postgres").contains(service.getMetadata().getName())) {
                continue;
            }
            assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", "lab");
            assertThat(service.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
            service.getSpec().getPorts().forEach(p -> assertThat(port(jvm, p.getTargetPort().getStrVal()))
                    .as(service.getMetadata().getName() + " " + p.getName()).contains(p.getPort()));
        }
    }

    @Test
    void theDashboards_areConfigMapsOfTheProjectsOwn_onceForTheWorkshop_forGrafanasSidecar() throws Exception {
        List<ConfigMap> maps = of(render(CHART.resolve("values-instructor.yaml")), ConfigMap.class);
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        List<Path> dashboards;
        try (var files = Files.list(ROOT.resolve("observability/grafana/dashboards"))) {
            dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(maps).as("one per dashboard, for thirty participants").hasSize(dashboards.size()).hasSizeGreaterThan(8);
        for (Path dashboard : dashboards) {
            String file = dashboard.getFileName().toString();
            ConfigMap map = maps.stream().filter(m -> m.getData().containsKey(file)).findFirst()
                    .orElseThrow(() -> new AssertionError(file + ": no ConfigMap"));
            assertThat(map.getMetadata().getLabels()).as(file).containsEntry("grafana_dashboard", "1");
            assertThat(map.getMetadata().getAnnotations()).as(file).containsEntry("grafana_folder", "Failure Lab");
            assertThat(json.readTree(map.getData().get(file))).as(file + ": the project's dashboard, as it is")
                    .isEqualTo(json.readTree(dashboard.toFile()));
            assertThat(map.getData().get(file).length()).as(file + ": within a ConfigMap's 1 MiB").isLessThan(1 << 20);
        }
        assertThat(of(render(null, Map.of("grafana.dashboards", "false")), ConfigMap.class)).as("grafana.dashboards=false")
                .isEmpty();
        assertThat(of(render(null, Map.of("grafana.namespace", "monitoring")), ConfigMap.class))
                .allSatisfy(m -> assertThat(m.getMetadata().getNamespace()).isEqualTo("monitoring"));
    }
}
