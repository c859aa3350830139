package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminPaths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Chaos Mesh resources ({@code kubernetes/chaos-mesh/}), for teams that run Chaos Mesh: each is
 * parsed with fabric8, is a Chaos Mesh kind, ends by its own duration (at most 5 min: no fault
 * outlives its TTL), has no namespace of its own (it is applied into a participant's), selects pods
 * the chart deploys (by their labels; an HTTP fault on a port and path they serve, a DNS fault on
 * names the chart's Services have), and names the project's own command it stands for.
 */
class ChaosMeshTest {

    private static final Path FOLDER = RenderedChart.ROOT.resolve("kubernetes/chaos-mesh");
    private static final List<String> KINDS = List.of("HTTPChaos", "NetworkChaos", "StressChaos", "DNSChaos",
            "PodChaos");
    private static final Pattern EQUIVALENT = Pattern.compile(
            "(\\./fault\\.sh|\\./lab restart|[a-z-]+-lab/scripts/[a-z-]+\\.sh)");

    @Test
    void everyChaosMeshResource_endsByItself_andStrikesPodsTheChartDeploys() throws Exception {
        List<HasMetadata> chart = RenderedChart.render(null);
        List<Deployment> deployments = RenderedChart.deployments(chart);
        List<Path> files;
        try (Stream<Path> listed = Files.list(FOLDER)) {
            files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        for (Path file : files) {
            String name = file.getFileName().toString();
            GenericKubernetesResource chaos;
            try (InputStream in = Files.newInputStream(file)) {
                chaos = Serialization.unmarshal(in, GenericKubernetesResource.class);
            }
            assertThat(chaos.getApiVersion()).as(name).isEqualTo("chaos-mesh.org/v1alpha1");
            assertThat(chaos.getKind()).as(name).isIn(KINDS);
            assertThat(chaos.getMetadata().getNamespace()).as(name + ": applied into a participant's namespace").isNull();
            Map<String, Object> spec = map(chaos.getAdditionalProperties().get("spec"));
            Duration lasts = Duration.parse("PT" + String.valueOf(spec.get("duration")).toUpperCase());
            assertThat(lasts).as(name + ": its duration").isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
            assertThat(spec.get("mode")).as(name).isEqualTo("all");
            List<Deployment> struck = deployments.stream().filter(d -> selects(spec, d)).toList();
            assertThat(struck).as(name + ": pods the chart deploys").isNotEmpty();
            if (chaos.getKind().equals("HTTPChaos")) {
                for (Deployment deployment : struck) {
                    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
                    assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort)
                            .as(name + ": a port its pods serve").contains(((Number) spec.get("port")).intValue());
                }
                assertThat(spec.get("path")).as(name + ": the chain's path").isEqualTo(AdminPaths.CHAIN);
            }
            if (chaos.getKind().equals("DNSChaos")) {
                List<String> services = RenderedChart.of(chart, Service.class).stream()
                        .map(s -> s.getMetadata().getName()).toList();
                for (Object pattern : (List<?>) spec.get("patterns")) {
                    assertThat(services).as(name + ": " + pattern + " names a Service")
                            .contains(String.valueOf(pattern).replaceFirst("\\.\\*$", ""));
                }
            }
            Matcher equivalent = EQUIVALENT.matcher(Files.readString(file));
            assertThat(equivalent.find()).as(name + ": names the project's command it stands for").isTrue();
            String command = equivalent.group(1);
            if (!command.startsWith("./lab")) {
                assertThat(RenderedChart.ROOT.resolve(command)).as(name + ": " + command).exists();
            }
        }
    }

    /** Whether the resource's selector (label selectors, expression selectors) picks the deployment's pods. */
    private static boolean selects(Map<String, Object> spec, Deployment deployment) {
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, Object> selector = map(spec.get("selector"));
        Object byLabel = selector.get("labelSelectors");
        if (byLabel != null && !map(byLabel).entrySet().stream().allMatch(e -> String.valueOf(e.getValue())
                .equals(labels.get(e.getKey())))) {
            return false;
        }
        Object byExpression = selector.get("expressionSelectors");
        if (byExpression != null) {
            for (Object expression : (List<?>) byExpression) {
                Map<String, Object> e = map(expression);
                assertThat(e.get("operator")).isEqualTo("In");
                if (!((List<?>) e.get("values")).contains(labels.get(String.valueOf(e.get("key"))))) {
                    return false;
                }
            }
        }
        return byLabel != null || byExpression != null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
