package dev.failurelab.lab.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.Durations;
import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Deadlines shrink down the chain in every shipped configuration: the chain service's defaults,
 * the topology data, each lab's profile on top of them, and the compose file. The edge gives a
 * request its deadline; the middle's whole call to the bottom (every attempt) fits in it; one
 * attempt of the middle outlasts the bottom's work. So with deadlines on, no hop ever waits for a
 * hop that waits longer than it.
 */
class DeadlinesShrinkTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String DEADLINE = "chain.deadlines.default";
    private static final String TIMEOUT = "chain.client.timeout";
    private static final String ATTEMPTS = "chain.retry.max-attempts";
    private static final String SERVICE = "chain.capacity.service-time";

    /** The chain service's defaults (chain-service.yml), flattened to dotted keys. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> defaults() throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve("chain-service/src/main/resources/chain-service.yml"))) {
            Map<String, String> flat = new LinkedHashMap<>();
            flatten("", (Map<String, Object>) new Yaml().load(in), flat);
            return flat;
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, String> into) {
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + key + ".", (Map<String, Object>) nested, into);
            } else {
                into.put(prefix + key, String.valueOf(value));
            }
        });
    }

    private static Duration duration(Map<String, String> config, String key) {
        return Durations.parse(config.get(key)).orElseThrow(() -> new AssertionError(key + " = " + config.get(key)));
    }

    /** Asserts the order on one configuration: each app's effective settings, by role. */
    private static void assertShrinks(String where, Map<String, String> edge, Map<String, String> middle,
            Map<String, String> bottom) {
        Duration edgeDeadline = duration(edge, DEADLINE);
        Duration middleAttempt = duration(middle, TIMEOUT);
        Duration middleCall = middleAttempt.multipliedBy(Long.parseLong(middle.get(ATTEMPTS)));
        Duration bottomWork = duration(bottom, SERVICE);
        assertThat(edgeDeadline).as("%s: the edge's deadline (%s) outlasts the middle's whole call (%s x %s)", where,
                edgeDeadline, middle.get(ATTEMPTS), middleAttempt).isGreaterThan(middleCall);
        assertThat(middleAttempt).as("%s: one attempt of the middle (%s) outlasts the bottom's work (%s)", where,
                middleAttempt, bottomWork).isGreaterThan(bottomWork);
    }

    private static Map<String, String> effective(Map<String, String> defaults, AppSpec app, Properties lab) {
        Map<String, String> config = new LinkedHashMap<>(defaults);
        config.putAll(app.properties());
        if (lab != null) {
            String prefix = "topology." + app.name() + ".";
            lab.stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                    .forEach(k -> config.put(k.substring(prefix.length()), lab.getProperty(k)));
        }
        return config;
    }

    @Test
    void inTheTopologyData_andUnderEveryLabsProfile() throws IOException {
        Map<String, String> defaults = defaults();
        Topology chain = Topology.chain();
        List<Path> labs;
        try (Stream<Path> files = Files.list(ROOT)) {
            labs = files.filter(dir -> dir.getFileName().toString().endsWith("-lab")).flatMap(dir -> {
                try (Stream<Path> resources = Files.list(dir.resolve("src/main/resources"))) {
                    return resources.filter(f -> f.toString().endsWith(".properties")).toList().stream();
                } catch (IOException e) {
                    return Stream.empty();
                }
            }).sorted().toList();
        }
        assertThat(labs).as("the labs' defaults files").extracting(p -> p.getFileName().toString())
                .contains("cascade.properties", "retry-storm.properties", "stampede.properties");
        assertShrinks("topology data", effective(defaults, chain.app("edge").orElseThrow(), null),
                effective(defaults, chain.app("middle").orElseThrow(), null),
                effective(defaults, chain.app("bottom").orElseThrow(), null));
        for (Path file : labs) {
            Properties lab = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                lab.load(in);
            }
            assertShrinks(file.getFileName().toString(), effective(defaults, chain.app("edge").orElseThrow(), lab),
                    effective(defaults, chain.app("middle").orElseThrow(), lab),
                    effective(defaults, chain.app("bottom").orElseThrow(), lab));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void inTheComposeFile() throws IOException {
        Map<String, String> defaults = defaults();
        Map<String, Object> compose;
        try (InputStream in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(in);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Map<String, String>> byRole = new LinkedHashMap<>();
        for (String service : List.of("edge", "middle", "bottom")) {
            Map<String, String> config = new LinkedHashMap<>(defaults);
            Map<String, Object> env = (Map<String, Object>) services.get(service).getOrDefault("environment", Map.of());
            env.forEach((name, value) -> {
                if (name.startsWith("CHAIN_")) {
                    // Spring's relaxed binding: CHAIN_CLIENT_TIMEOUT is chain.client.timeout
                    String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                    defaults.keySet().stream().filter(k -> k.replace('-', '.').equals(key)).findFirst()
                            .ifPresent(k -> config.put(k, String.valueOf(value)));
                }
            });
            byRole.put(service, config);
        }
        assertThat(byRole.get("edge").get(TIMEOUT)).as("the compose edge's own timeout is read").isEqualTo("4s");
        assertShrinks("docker-compose.yml", byRole.get("edge"), byRole.get("middle"), byRole.get("bottom"));
    }
}
