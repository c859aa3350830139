package dev.failurelab.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.DefenceClient;
import dev.failurelab.contract.Defences;
import dev.failurelab.exercise.retrystorm.MyRetryBudget;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./lab up --exercise retry-storm}: the edge and the middle run the participant's retry
 * budget, and {@code ./apply-budget.sh} (the budget policy) puts it in force.
 */
class ExerciseInTheTopologyIT {

    @Test
    void theRetryStormExercise_runsTheParticipantsBudgetOnTheEdgeAndTheMiddle() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts());
        Exercises.properties("retry-storm").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            new DefenceClient().switchAll(List.of(topology.management("edge"), topology.management("middle")),
                    Defences.RETRY_POLICY, "budget");
            for (String hop : List.of("edge", "middle")) {
                assertThat(new AdminHttp().send("GET", topology.management(hop).resolve("/admin/retry-policy"), null))
                        .as(hop).contains("\"policy\":\"budget\"",
                                "\"budgetImplementation\":\"" + MyRetryBudget.class.getName() + "\"");
            }
            assertThat(new AdminHttp().send("GET", topology.url("edge").resolve("/api/chain"), null))
                    .contains("\"role\":\"bottom\"");
        }
    }
}
