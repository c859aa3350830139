package dev.failurelab.exercise.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.Exercises;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.retrystorm.RetryStormLab;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.LabSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.1 at the lab's level: the retry-storm lab, shortened (about 90 s), on real servers,
 * with your budget ({@link MyRetryBudget}, or {@code -Dexercise.retry-budget=<class>}) on the edge
 * and the middle. Every hypothesis prints PASS or FAIL with its figure; the budget's come with a
 * hint. Run the unit-level checks first ({@code RetryBudgetExercise}): they take seconds.
 */
@ExtendWith(ExerciseReport.class)
class RetryStormLabExercise {

    /** What to look at when a budget hypothesis fails. */
    private static final Map<String, String> HINTS = Map.of(
            "budget.amplification", "your budget let too many retries through during the brownout: check the ratio"
                    + " (retries <= 10% of the window's requests, plus the reserve) and that the check and the take are"
                    + " one step",
            "budget.recovery-s", "the edge did not recover within 5 s of the fault's end: retries must stop counting"
                    + " once they leave the window, and requests must keep earning new ones");

    @Test
    @DisplayName("the retry-storm lab's hypotheses, with your budget on the edge and the middle")
    void theLabsHypothesesHold_withYourBudget() throws Exception {
        Lab lab = LabRegistry.load().get("retry-storm");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(RetryStormLab.SHORT_RUN);
        String implementation = System.getProperty(RetryBudgetExercise.IMPLEMENTATION, MyRetryBudget.class.getName());
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(lab.topology().withFreePorts()).labSettings(settings)
                .forTests();
        Exercises.properties("retry-storm").forEach((app, values) -> values.keySet().forEach(key ->
                builder.property(app, key, implementation)));
        LabResult result;
        try (EmbeddedTopology topology = builder.start()) {
            LabSession session = LabSession.attach(lab, settings, topology.endpoints(), line -> {
            });
            result = session.run(line -> {
            });
        }
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println("  " + check.line()));
        List<String> failed = result.checks().stream().filter(check -> !check.passed())
                .map(check -> check.line() + (HINTS.containsKey(check.name()) ? "\nHint: " + HINTS.get(check.name()) : ""))
                .toList();
        assertThat(failed).as("hypotheses that did not hold with %s:%n%s", implementation, String.join("\n", failed))
                .isEmpty();
        assertThat(result.checks()).extracting(Check::name).contains("budget.amplification", "budget.recovery-s");
    }
}
