package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/** The chart rendered offline by Helm's own library ({@code helm template}), as fabric8's model. */
final class RenderedChart {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path CHART = ROOT.resolve("kubernetes/helm/failure-lab");

    private RenderedChart() {
    }

    /** The chart's manifests, as {@code helm template} writes them, with {@code values} (or the defaults). */
    static String renderYaml(Path values) {
        return renderYaml(values, Map.of());
    }

    /** As {@link #renderYaml(Path)}, with {@code set} over the values ({@code helm template --set}). */
    static String renderYaml(Path values, Map<String, String> set) {
        TemplateCommand template = new Helm(CHART).template().withName("workshop");
        if (values != null) {
            template.withValuesFile(values);
        }
        set.forEach(template::set);
        return template.call();
    }

    /** Every object the chart renders with its default values, then {@code values} (or none). */
    static List<HasMetadata> render(Path values) {
        return render(values, Map.of());
    }

    /** As {@link #render(Path)}, with {@code set} over the values. */
    static List<HasMetadata> render(Path values, Map<String, String> set) {
        Object parsed = Serialization.unmarshal(renderYaml(values, set));
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            list.forEach(o -> objects.add((HasMetadata) o));
        } else {
            objects.add((HasMetadata) parsed);
        }
        return objects;
    }

    /** The objects of {@code kind}. */
    static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The Deployments. */
    static List<Deployment> deployments(List<HasMetadata> objects) {
        return of(objects, Deployment.class);
    }

    /** The stack's requests and limits within its namespace's quota, and its pods too. */
    static void assertFitsItsQuota(List<HasMetadata> objects) {
        ResourceQuota quota = of(objects, ResourceQuota.class).get(0);
        Map<String, Quantity> hard = quota.getSpec().getHard();
        for (String resource : List.of("cpu", "memory")) {
            for (String bound : List.of("requests", "limits")) {
                BigDecimal sum = containers(objects).stream().map(c -> bound.equals("requests")
                        ? c.getResources().getRequests().get(resource) : c.getResources().getLimits().get(resource))
                        .map(Quantity::getNumericalAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(sum).as("the stack's " + bound + "." + resource + " within the quota")
                        .isLessThanOrEqualTo(hard.get(bound + "." + resource).getNumericalAmount());
            }
        }
        assertThat(Integer.parseInt(hard.get("pods").getAmount())).isGreaterThanOrEqualTo(
                of(objects, Deployment.class).size());
    }

    static List<Container> containers(List<HasMetadata> objects) {
        return of(objects, Deployment.class).stream().flatMap(d -> d.getSpec().getTemplate().getSpec()
                .getContainers().stream()).toList();
    }

    static Optional<Integer> port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst();
    }

    static String env(Container container, String name) {
        return container.getEnv().stream().filter(v -> v.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElse(null);
    }

    /** The services of a compose file of the project's ({@code docker-compose.yml}, an override), anchors merged. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> composeServices(String file) {
        try (InputStream in = Files.newInputStream(ROOT.resolve(file))) {
            return (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml().load(in)).get("services");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The labs with servers of their own, as the chart's values name them. */
    static final List<String> LABS = List.of("hot-partition", "dns", "service-discovery", "split-brain");

    /** Every mode, with the chain alone and with each lab: the {@code --set}s of each. */
    static List<Map<String, String>> everyModeAndLab() {
        List<Map<String, String>> sets = new ArrayList<>();
        for (String mode : List.of("services", "embedded")) {
            sets.add(Map.of("mode", mode));
            LABS.forEach(lab -> sets.add(Map.of("mode", mode, "lab", lab)));
        }
        return sets;
    }
}
