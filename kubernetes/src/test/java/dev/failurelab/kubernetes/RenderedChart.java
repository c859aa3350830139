package dev.failurelab.kubernetes;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The chart rendered offline by Helm's own library ({@code helm template}), as fabric8's model. */
final class RenderedChart {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path CHART = ROOT.resolve("kubernetes/helm/failure-lab");

    private RenderedChart() {
    }

    /** The chart's manifests, as {@code helm template} writes them, with {@code values} (or the defaults). */
    static String renderYaml(Path values) {
        TemplateCommand template = new Helm(CHART).template().withName("workshop");
        if (values != null) {
            template.withValuesFile(values);
        }
        return template.call();
    }

    /** Every object the chart renders with its default values, then {@code values} (or none). */
    static List<HasMetadata> render(Path values) {
        Object parsed = Serialization.unmarshal(renderYaml(values));
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
}
