package dev.failurelab.kubernetes;

import static dev.failurelab.kubernetes.RenderedChart.env;
import static dev.failurelab.kubernetes.RenderedChart.of;
import static dev.failurelab.kubernetes.RenderedChart.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Topology;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A lab's own servers in the chart ({@code lab: LAB}): in the services mode, every server its compose
 * form declares (docker-compose.yml's profile, or its override file), with that compose service's
 * environment, command and ports, and its settings on the chain's services; in the embedded mode,
 * {@code ./lab up --lab LAB} in the one JVM, behind a Service for every endpoint of that lab's topology
 * (its {@code topologies/LAB.properties}), on the topology's ports. An unknown lab fails the render.
 */
class LabServersTest {

    /** The compose file each lab's servers are declared in, and the profile (or null), as compose runs them. */
    private static final Map<String, String[]> COMPOSE = Map.of(
            "hot-partition", new String[] {"docker-compose.yml", "hot-partition"},
            "dns", new String[] {"docker-compose.dns.yml", null},
            "service-discovery", new String[] {"docker-compose.discovery.yml", null},
            "split-brain", new String[] {"docker-compose.split-brain.yml", null});

    /** The module each lab's topology data is in. */
    private static final Map<String, String> MODULE = Map.of("hot-partition", "hot-partition-lab", "dns", "dns-lab",
            "service-discovery", "service-discovery-lab", "split-brain", "split-brain-lab");

    private static final Set<String> CHAIN = Set.of("redis", "postgres", "edge", "middle", "bottom", "replica",
            "fault-injector");

    @Test
    void inTheServicesMode_everyServerOfALabsComposeForm_runs_withItsEnvironmentCommandAndPorts() {
        assertThat(COMPOSE.keySet()).containsExactlyInAnyOrderElementsOf(RenderedChart.LABS);
        for (String lab : RenderedChart.LABS) {
            List<HasMetadata> objects = RenderedChart.render(null, Map.of("lab", lab));
            Map<String, Map<String, Object>> compose = labServices(lab);
            int servers = 0;
            for (Map.Entry<String, Map<String, Object>> service : compose.entrySet()) {
                String name = service.getKey();
                Deployment deployment = deployment(objects, name, lab);
                Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
                Map<String, Object> environment = environment(service.getValue());
                environment.forEach((key, value) -> assertThat(env(container, key))
                        .as(lab + " " + name + ": " + key + " as compose sets it").isEqualTo(String.valueOf(value)));
                Object command = service.getValue().get("command");
                if (!CHAIN.contains(name) || command != null) {
                    assertThat(container.getArgs()).as(lab + " " + name + ": compose's command")
                            .isEqualTo(command == null ? List.of() : command);
                }
                if (CHAIN.contains(name)) {
                    continue; // the lab's settings on the chain: checked above
                }
                servers++;
                String image = String.valueOf(service.getValue().get("image"));
                Service kubernetesService = of(objects, Service.class).stream()
                        .filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError(lab + " " + name + ": no Service"));
                if (image.startsWith("failure-lab/chain-service:")) {
                    assertThat(container.getImage()).endsWith("failure-lab/chain-service:0.1.0");
                    int http = Integer.parseInt(String.valueOf(environment.get("SERVER_PORT")));
                    int management = Integer.parseInt(String.valueOf(environment.get("MANAGEMENT_SERVER_PORT")));
                    assertThat(port(container, "http")).as(lab + " " + name).contains(http);
                    assertThat(port(container, "management")).as(lab + " " + name).contains(management);
                    assertThat(kubernetesService.getSpec().getPorts()).extracting(ServicePort::getPort)
                            .as(lab + " " + name + ": its Service").containsExactlyInAnyOrder(http, management);
                    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
                    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                            .as(lab + " " + name + ": scraped by the PodMonitor, with its role")
                            .containsEntry("failure-lab.dev/scrape", "true")
                            .containsEntry("failure-lab.dev/role", String.valueOf(environment.get("CHAIN_ROLE")));
                } else {
                    assertThat(container.getImage()).as(lab + " " + name + ": compose's pinned image").isEqualTo(image);
                    assertThat(kubernetesService.getSpec().getPublishNotReadyAddresses())
                            .as(lab + " " + name + ": a quorum's peers reach one another before they are ready").isTrue();
                }
            }
            assertThat(of(objects, Deployment.class)).extracting(d -> d.getMetadata().getName())
                    .as(lab + ": the chain's Deployments and one per server its compose form declares, no more")
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(CHAIN.stream(),
                            compose.keySet().stream().filter(name -> !CHAIN.contains(name))).toList());
            assertThat(servers).as(lab + ": servers of its own (the DNS lab's are the fault injector's; the others"
                    + " at least three)").isBetween(lab.equals("dns") ? 0 : 3, lab.equals("dns") ? 0 : Integer.MAX_VALUE);
            RenderedChart.assertFitsItsQuota(objects);
        }
    }

    @Test
    void theDnsLab_inTheServicesMode_servesItsDnsOnTheFaultInjector_overUdpAndTcp() {
        List<HasMetadata> objects = RenderedChart.render(null, Map.of("lab", "dns"));
        Service injector = of(objects, Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("fault-injector")).findFirst().orElseThrow();
        List<String> ports = injector.getSpec().getPorts().stream().map(p -> p.getPort() + "/"
                + (p.getProtocol() == null ? "TCP" : p.getProtocol())).toList();
        assertThat(ports).contains("8053/UDP", "8053/TCP", "8054/UDP", "8054/TCP", "8474/TCP");
        Container edge = deployment(objects, "edge", "dns").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(edge, "CHAIN_DNS_SERVER")).isEqualTo("fault-injector:8053");
        assertThat(env(edge, "CHAIN_DOWNSTREAM_URL")).isEqualTo("http://middle.failure-lab.test:8081");
        Container replica = deployment(objects, "replica", "dns").getSpec().getTemplate().getSpec().getContainers()
                .get(0);
        assertThat(env(replica, "CHAIN_DNS_SERVER")).as("a hop the lab leaves alone").isNull();
    }

    @Test
    void inTheEmbeddedMode_theOneJvmRunsTheLab_behindAServiceForEveryEndpointOfItsTopology() {
        for (String lab : RenderedChart.LABS) {
            List<HasMetadata> objects = RenderedChart.render(null, Map.of("mode", "embedded", "lab", lab));
            Deployment deployment = deployment(objects, "lab", lab);
            Container jvm = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(jvm.getArgs()).as(lab).containsExactly("up", "--lab", lab, "--bind", "0.0.0.0");
            Topology topology = topology(lab);
            Map<String, Set<String>> expected = new LinkedHashMap<>();
            for (AppSpec app : topology.apps()) {
                for (int i = 0; i < app.replicas(); i++) {
                    if (app.kind().equals(Topology.INJECTOR_KIND)) {
                        Set<String> ports = expected.computeIfAbsent("fault-injector", k -> new TreeSet<>());
                        ports.add(app.ports().get(i) + "/TCP");
                        String dns = app.properties().get("fault-injector.dns.port");
                        String fallback = app.properties().get("fault-injector.dns.fallback-port");
                        for (String server : new String[] {dns, fallback}) {
                            if (server != null) {
                                ports.addAll(List.of(server + "/UDP", server + "/TCP"));
                            }
                        }
                    } else {
                        expected.put(app.instanceNames().get(i), new TreeSet<>(List.of(app.ports().get(i) + "/TCP",
                                app.managementPort(i) + "/TCP")));
                    }
                }
                if (app.proxyPort() != null) {
                    expected.computeIfAbsent("fault-injector", k -> new TreeSet<>()).add(app.proxyPort() + "/TCP");
                }
            }
            Map<String, Set<String>> services = new LinkedHashMap<>();
            for (Service service : of(objects, Service.class)) {
                String name = service.getMetadata().getName();
                if (List.of("redis", "postgres").contains(name)) {
                    continue;
                }
                assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", "lab");
                Set<String> ports = new TreeSet<>();
                for (ServicePort port : service.getSpec().getPorts()) {
                    ports.add(port.getPort() + "/" + port.getProtocol());
                    ContainerPort target = jvm.getPorts().stream()
                            .filter(p -> p.getName().equals(port.getTargetPort().getStrVal())).findFirst()
                            .orElseThrow(() -> new AssertionError(lab + " " + name + " " + port.getName()
                                    + ": no such port on the JVM"));
                    assertThat(target.getContainerPort()).as(lab + " " + name).isEqualTo(port.getPort());
                    assertThat(target.getProtocol()).as(lab + " " + name).isEqualTo(port.getProtocol());
                }
                services.put(name, ports);
            }
            assertThat(services).as(lab + ": the topology's endpoints, by compose name (topologies/" + lab
                    + ".properties)").containsExactlyInAnyOrderEntriesOf(expected);
            int ready = Integer.parseInt(jvm.getReadinessProbe().getHttpGet().getPort().getStrVal().substring(1));
            assertThat(topology.ports()).as(lab + ": the probes ask a management port of the topology")
                    .containsValue(ready);
            RenderedChart.assertFitsItsQuota(objects);
        }
    }

    @Test
    void anUnknownLab_failsTheRender_namingTheLabsThatHaveServers() {
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("lab", "retry-strom")))
                .hasMessageContaining("lab: \"retry-strom\" has no servers of its own")
                .hasMessageContaining("dns, hot-partition, service-discovery, split-brain");
    }

    private static Deployment deployment(List<HasMetadata> objects, String name, String lab) {
        return of(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(lab + ": no Deployment " + name));
    }

    /** The compose services the lab declares or changes, as compose runs them for it. */
    private static Map<String, Map<String, Object>> labServices(String lab) {
        String[] source = COMPOSE.get(lab);
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        RenderedChart.composeServices(source[0]).forEach((name, service) -> {
            Object profiles = service.get("profiles");
            if (source[1] == null || (profiles instanceof List<?> list && list.contains(source[1]))) {
                services.put(name, service);
            }
        });
        return services;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        return environment == null ? Map.of() : (Map<String, Object>) environment;
    }

    private static Topology topology(String lab) {
        Path file = RenderedChart.ROOT.resolve(MODULE.get(lab) + "/src/main/resources/topologies/" + lab + ".properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Topology.parse(lab, properties);
    }
}
