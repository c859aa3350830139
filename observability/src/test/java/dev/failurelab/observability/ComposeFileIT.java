package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.topology.TopologyPorts;
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

    @Test
    void dockerComposeConfig_acceptsTheFile() throws Exception {
        ExternalTool.Result result = ExternalTool.require("docker-compose", "docker-compose").run(ROOT, "-f", COMPOSE.toString(),
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
    void itPublishesTheEmbeddedTopologysPorts_andEachServiceListensOnItsPublishedPort() throws Exception {
        TopologyPorts embedded = TopologyPorts.defaults();
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("edge", embedded.edge());
        expected.put("middle", embedded.middle());
        expected.put("bottom", embedded.bottom());
        expected.put("replica", embedded.replica());
        Map<String, Map<String, Object>> services = services();
        expected.forEach((name, port) -> {
            Map<String, Object> service = services.get(name);
            assertThat((List<Object>) service.get("ports")).as(name).containsExactly(port + ":" + port);
            assertThat(((Map<String, Object>) service.get("environment")).get("SERVER_PORT")).as(name + " SERVER_PORT")
                    .isEqualTo(String.valueOf(port));
        });
        assertThat((List<Object>) services.get("fault-injector").get("ports")).containsExactlyInAnyOrder(
                embedded.middleProxy() + ":" + embedded.middleProxy(), embedded.bottomProxy() + ":" + embedded.bottomProxy(),
                "127.0.0.1:" + embedded.control() + ":" + embedded.control());
        assertThat((List<Object>) services.get("prometheus").get("ports")).containsExactly("9090:9090");
        assertThat((List<Object>) services.get("grafana").get("ports")).containsExactly("3000:3000");
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
