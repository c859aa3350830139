package dev.failurelab.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.LabSession;
import java.util.List;
import java.util.Map;

/**
 * An exercise at the lab's level: the lab's own experiment, on real servers, with the
 * participant's class wherever the lab's exercise puts it ({@code exercises/<lab>.properties}).
 * Every hypothesis prints PASS or FAIL with its figure; a failed one the exercise is about comes
 * with its hint.
 */
public final class LabLevelExercise {

    private LabLevelExercise() {
    }

    /**
     * Runs {@code lab} with {@code overrides} on top of its defaults, {@code implementation} set on
     * every property its exercise sets, and asserts that every hypothesis held.
     *
     * @param expected the checks that must be among the results (the ones about the participant's class)
     * @param hints    what to look at, by check name
     */
    /** A lab's shortened run (its IT's), with only {@code rows}. */
    public static Map<String, String> shortRunOf(Map<String, String> shortRun, String rows) {
        Map<String, String> run = new java.util.HashMap<>(shortRun);
        run.put("rows", rows);
        return Map.copyOf(run);
    }

    public static void runAndJudge(String lab, Map<String, String> overrides, String implementation,
            List<String> expected, Map<String, String> hints) throws InterruptedException {
        Lab chosen = LabRegistry.load().get(lab);
        LabDefaults settings = LabDefaults.load(chosen.defaults()).with(overrides);
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(chosen.topology().withFreePorts())
                .labSettings(settings).forTests();
        Exercises.properties(lab).forEach((app, values) -> values.keySet().forEach(key ->
                builder.property(app, key, implementation)));
        LabResult result;
        try (EmbeddedTopology topology = builder.start()) {
            LabSession session = LabSession.attach(chosen, settings, topology.endpoints(), line -> {
            });
            result = session.run(line -> {
            });
        }
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println("  " + check.line()));
        List<String> failed = result.checks().stream().filter(check -> !check.passed())
                .map(check -> check.line() + (hints.containsKey(check.name()) ? "\nHint: " + hints.get(check.name()) : ""))
                .toList();
        assertThat(failed).as("hypotheses that did not hold with %s:%n%s", implementation, String.join("\n", failed))
                .isEmpty();
        assertThat(result.checks()).extracting(Check::name).containsAll(expected);
    }
}
