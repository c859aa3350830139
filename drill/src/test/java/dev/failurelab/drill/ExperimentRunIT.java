package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The retry storm's Chaos Toolkit experiment, run in the lab behind its usual load, twice: as written
 * (the lab's latent naive retries) its steady state deviates, the storm outliving the fault; with the
 * team's defence in place of the latent condition (the budget policy) it holds. Shortened: a 10 s
 * burn window and a 15 s fault, the steady state checked 15 s after the fault's end.
 */
class ExperimentRunIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Map<String, String> SHORT = Map.of("warmup", "5s", "burn.window", "10s",
            "prometheus.scrape-interval", "1s");
    private static final Map<String, String> VARS = Map.of("fault_ttl", "15s", "observe_seconds", "30");

    @Test
    void theRetryStormExperiment_deviatesUnderNaiveRetries_andHoldsUnderTheBudget() throws Exception {
        Drill drill = new Drill(new Drill.Options(1, List.of(), "experiment", false, true, SHORT, ROOT),
                System.out::println);
        ObjectNode experiment = ChaosExperiment.of(drill.catalogue().entries().stream()
                .filter(e -> e.failureMode().equals("retry-storm")).findFirst().orElseThrow(), drill.settings());
        JsonNode latent = experiment.path("method").get(0);
        assertThat(latent.path("name").asString()).isEqualTo("lab-every-hop-retries-naive");

        ObjectNode naive = drill.runExperiment(experiment, VARS);
        assertSteps(naive);
        assertThat(naive.path("steady_states").path("before").path("steady_state_met").asBoolean())
                .as("steady before the fault").isTrue();
        assertThat(naive.path("status").asString()).isEqualTo("completed");
        assertThat(naive.path("deviated").asBoolean()).as("the storm outlives its fault").isTrue();

        ObjectNode defended = experiment.deepCopy();
        ((ObjectNode) defended.path("method").get(0).path("provider")).put("arguments", "budget");
        ObjectNode budget = drill.runExperiment(defended, VARS);
        assertSteps(budget);
        assertThat(budget.path("status").asString()).isEqualTo("completed");
        assertThat(budget.path("deviated").asBoolean()).as("the budget ends the storm with the fault: "
                + budget.path("steady_states").path("after")).isFalse();
    }

    /** Every action and rollback ran its script to a zero exit. */
    private static void assertSteps(ObjectNode journal) {
        assertThat(journal.path("run").size()).isEqualTo(2);
        assertThat(journal.path("rollbacks").size()).isEqualTo(2);
        for (String part : List.of("run", "rollbacks")) {
            for (JsonNode run : journal.path(part)) {
                assertThat(run.path("status").asString()).as(run.path("activity").path("name").asString())
                        .isEqualTo("succeeded");
                assertThat(run.path("output").path("status").asInt()).as(run.path("output").path("stdout").asString())
                        .isZero();
            }
        }
    }
}
