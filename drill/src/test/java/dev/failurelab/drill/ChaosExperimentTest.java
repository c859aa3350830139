package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.LabRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The experiment files: one per failure mode of the catalogue, up to date with the drills, valid by
 * Chaos Toolkit's rules, each step a script of the project; and the validator catches what chaoslib
 * refuses.
 */
class ChaosExperimentTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private final DrillCatalogue catalogue = DrillCatalogue.of(LabRegistry.load().all(), Drill.runbooks(ROOT));
    private final Map<String, ObjectNode> experiments = ChaosExperiment.all(catalogue, Drill.settings(Map.of()));

    @Test
    void everyFailureMode_hasItsExperimentFile_upToDate() throws IOException {
        assertThat(experiments.keySet()).containsExactlyInAnyOrderElementsOf(catalogue.failureModes());
        try (Stream<Path> files = Files.list(ROOT.resolve(ChaosExperiment.FOLDER))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json")))
                    .as("experiments/ holds the catalogue's experiments, no other")
                    .containsExactlyInAnyOrderElementsOf(experiments.keySet().stream().map(m -> m + ".json").toList());
        }
        experiments.forEach((mode, experiment) -> assertThat(read(mode + ".json"))
                .as("experiments/" + mode + ".json is stale: ./lab drill experiment write")
                .isEqualTo(ChaosExperiment.text(experiment)));
    }

    @Test
    void everyExperiment_isValid_andItsStepsAreTheProjectsScripts() {
        experiments.forEach((mode, experiment) -> {
            assertThat(ChaosExperiment.validate(experiment)).as(mode).isEmpty();
            assertThat(experiment.path("tags").toString()).contains("\"" + mode + "\"");
            JsonNode probe = experiment.path("steady-state-hypothesis").path("probes").get(0);
            assertThat(probe.path("provider").path("arguments").path("query").asString())
                    .as("the SLI of the drill, against the burn threshold").endsWith(" / 0.01 > 1");
            JsonNode method = experiment.path("method");
            assertThat(method.get(method.size() - 1).path("pauses").path("after").asString())
                    .isEqualTo("${observe_seconds}");
            assertThat(experiment.path("rollbacks").size()).as(mode + ": rollbacks").isPositive();
            for (JsonNode step : List.of(method, experiment.path("rollbacks")).stream()
                    .flatMap(list -> java.util.stream.StreamSupport.stream(list.spliterator(), false)).toList()) {
                JsonNode provider = step.path("provider");
                if (step.path("background").asBoolean(false)) {
                    // A load in the background runs for the fault's TTL: its timeout must not cut it short.
                    assertThat(provider.path("timeout").asLong()).as(mode + ": " + step.path("name").asString()
                            + "'s timeout").isGreaterThan(java.time.Duration.parse("PT" + experiment.path("configuration")
                            .path("fault_ttl").asString().toUpperCase(java.util.Locale.ROOT)).toSeconds());
                }
                if (provider.path("type").asString().equals("process")) {
                    Path script = ROOT.resolve(provider.path("path").asString()).normalize();
                    assertThat(script).as(step.path("name").asString()).isRegularFile();
                    assertThat(Files.isExecutable(script)).as(script + " executable").isTrue();
                } else {
                    assertThat(provider.path("type").asString()).isEqualTo("http");
                    assertThat(provider.path("url").asString()).startsWith("http://127.0.0.1:");
                }
            }
        });
    }

    @Test
    void theValidator_refusesWhatChaosToolkitRefuses() {
        ObjectNode good = experiments.get("retry-storm").deepCopy();
        assertThat(ChaosExperiment.validate(good)).isEmpty();

        assertThat(ChaosExperiment.validate(ChaosExperiment.JSON.createObjectNode()))
                .containsExactly("an empty experiment is not an experiment");
        assertThat(ChaosExperiment.validate(without(good, "title"))).containsExactly("experiment requires a title");
        assertThat(ChaosExperiment.validate(without(good, "description")))
                .containsExactly("experiment requires a description");
        assertThat(ChaosExperiment.validate(without(good, "method"))).singleElement().asString()
                .startsWith("an experiment requires a method");

        ObjectNode badType = good.deepCopy();
        ((ObjectNode) badType.path("method").get(0)).put("type", "poke");
        assertThat(ChaosExperiment.validate(badType)).containsExactly("method: 'poke' is not a supported activity type");

        ObjectNode badProvider = good.deepCopy();
        ((ObjectNode) badProvider.path("rollbacks").get(0).path("provider")).put("type", "ssh");
        assertThat(ChaosExperiment.validate(badProvider)).singleElement().asString()
                .contains("unknown provider type 'ssh'");

        ObjectNode badPause = good.deepCopy();
        ((ObjectNode) badPause.path("method").get(1).path("pauses")).put("after", "two minutes");
        assertThat(ChaosExperiment.validate(badPause)).singleElement().asString()
                .contains("after pause must be a number or a pattern");

        ObjectNode noTolerance = good.deepCopy();
        ((ObjectNode) noTolerance.path("steady-state-hypothesis").path("probes").get(0)).remove("tolerance");
        assertThat(ChaosExperiment.validate(noTolerance)).singleElement().asString()
                .startsWith("hypothesis probe must have a tolerance entry");

        ObjectNode badTolerance = good.deepCopy();
        ObjectNode tolerance = (ObjectNode) badTolerance.path("steady-state-hypothesis").path("probes").get(0)
                .path("tolerance");
        tolerance.put("type", "range");
        tolerance.putArray("range").add(0);
        assertThat(ChaosExperiment.validate(badTolerance))
                .containsExactly("hypothesis range sequence must be made of two values");
        tolerance.put("type", "guess");
        assertThat(ChaosExperiment.validate(badTolerance))
                .containsExactly("hypothesis probe tolerance type 'guess' is unsupported");
        tolerance.put("type", "jsonpath");
        tolerance.put("path", "$..result[?(@.value)]");
        assertThat(ChaosExperiment.validate(badTolerance)).singleElement().asString().endsWith("is invalid");

        ObjectNode noProcessPath = good.deepCopy();
        ((ObjectNode) noProcessPath.path("method").get(0).path("provider")).remove("path");
        assertThat(ChaosExperiment.validate(noProcessPath)).singleElement().asString()
                .endsWith("a process activity must have a path");
    }

    private static ObjectNode without(ObjectNode experiment, String field) {
        ObjectNode copy = experiment.deepCopy();
        copy.remove(field);
        return copy;
    }

    private static String read(String name) {
        try {
            return Files.readString(ROOT.resolve(ChaosExperiment.FOLDER).resolve(name));
        } catch (IOException e) {
            throw new AssertionError("experiments/" + name + " is missing: ./lab drill experiment write", e);
        }
    }
}
