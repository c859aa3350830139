package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

/**
 * The images Jib builds (no Docker daemon) agree with the chart and the Dockerfile: the base image is
 * pinned to a JRE release, the Dockerfile's own; the user is not root and is the one the chart's
 * pods run as; each image is the one the chart's values name, its main class the app's.
 */
class JibImagesTest {

    private static final Path ROOT = RenderedChart.ROOT;

    @Test
    void theImages_arePinned_nonRoot_andTheOnesTheChartRuns() throws Exception {
        Document parent = pom(ROOT.resolve("pom.xml"));
        String base = text(parent, "/project/properties/*[local-name()='jib.base-image']");
        String user = text(parent, "/project/properties/*[local-name()='jib.user']");
        assertThat(text(parent, "//pluginManagement//plugin[artifactId='jib-maven-plugin']/configuration/from/image"))
                .isEqualTo("${jib.base-image}");
        assertThat(text(parent, "//pluginManagement//plugin[artifactId='jib-maven-plugin']/configuration/container/user"))
                .isEqualTo("${jib.user}");
        assertThat(base).as("a pinned JRE release").matches("[a-z0-9./-]+:[0-9]+\\.[0-9]+\\.[0-9]+_[0-9]+-jre[a-z-]*");
        Matcher dockerfile = Pattern.compile("ARG JRE_IMAGE=(\\S+)").matcher(Files.readString(ROOT.resolve("Dockerfile")));
        assertThat(dockerfile.find()).isTrue();
        assertThat(base).as("the Dockerfile's JRE").isEqualTo(dockerfile.group(1));
        assertThat(user).matches("[0-9]+:[0-9]+");
        long uid = Long.parseLong(user.substring(0, user.indexOf(':')));
        assertThat(uid).as("not root").isPositive();

        List<HasMetadata> chart = RenderedChart.render(null);
        Map<String, Object> images = values("images");
        List<HasMetadata> embedded = RenderedChart.render(RenderedChart.CHART.resolve("values-instructor.yaml"));
        for (String[] app : new String[][] {{"chain-service", "chainService", "edge"},
                {"fault-injector", "faultInjector", "fault-injector"}, {"lab-cli", "labCli", "lab"}}) {
            Document pom = pom(ROOT.resolve(app[0]).resolve("pom.xml"));
            String image = text(pom, "//build/plugins/plugin[artifactId='jib-maven-plugin']/configuration/to/image");
            assertThat(image).as(app[0] + ": the image the chart's values name")
                    .isEqualTo("${image.registry}" + images.get(app[1]));
            String mainClass = text(pom, "//build/plugins/plugin[artifactId='jib-maven-plugin']/configuration"
                    + "/container/mainClass");
            Path source = ROOT.resolve(app[0]).resolve("src/main/java").resolve(mainClass.replace('.', '/') + ".java");
            assertThat(Files.readString(source)).as(app[0] + ": " + mainClass).contains("public static void main(");
            Deployment deployment = RenderedChart.deployments(app[2].equals("lab") ? embedded : chart).stream()
                    .filter(d -> d.getMetadata().getName().equals(app[2])).findFirst().orElseThrow();
            assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                    .as(app[2] + ": the chart runs it as the image's user").isEqualTo(uid);
        }
    }

    private static Document pom(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static String text(Document document, String xpath) throws Exception {
        String value = ((String) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.STRING))
                .strip();
        assertThat(value).as(xpath).isNotEmpty();
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(String key) throws Exception {
        try (InputStream in = Files.newInputStream(RenderedChart.CHART.resolve("values.yaml"))) {
            return (Map<String, Object>) ((Map<String, Object>) new Yaml().load(in)).get(key);
        }
    }
}
