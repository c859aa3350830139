package dev.failurelab.exercise.discovery;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import dev.failurelab.lab.discovery.ServiceDiscoveryLab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.8 at the lab's level: the service-discovery lab's flapping row with your health
 * checks with hysteresis in the middle ({@link MyHealthPolicy}, or {@code -Dexercise.health-policy=<class>}):
 * one bottom's health flaps, and the middle's membership may change at most once. About 30 s on
 * real servers. Run the unit-level checks first ({@code HealthPolicyExercise}): they take a second.
 */
@ExtendWith(ExerciseReport.class)
class DiscoveryLabExercise {

    /** The hysteresis row, compressed as the lab's IT runs it. */
    private static final Map<String, String> RUN = LabLevelExercise.shortRunOf(ServiceDiscoveryLab.SHORT_RUN,
            "flapping-hysteresis");

    private static final Map<String, String> HINTS = Map.of(
            "flapping-hysteresis.changes", "the middle kept taking the flapping instance out and putting it back:"
                    + " an instance out of service must pass rise checks in a row before it is called again");

    @Test
    @DisplayName("the service-discovery lab: your hysteresis keeps a flapping instance out")
    void yourHysteresisKeepsTheFlappingInstanceOut() throws Exception {
        LabLevelExercise.runAndJudge("service-discovery", RUN,
                System.getProperty(HealthPolicyExercise.IMPLEMENTATION, MyHealthPolicy.class.getName()),
                List.of("flapping-hysteresis.changes"), HINTS);
    }
}
