package dev.failurelab.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.exercise.stampede.MyRecomputeLock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stampede exercise at the lab's level is honest: on real servers, the reference lock holds
 * the lab's lock hypotheses and the starter fails them, with the hint. (The retry-storm exercise's
 * lab-level run takes 90 s a side; its unit-level checks are judged in every build, in
 * {@link ExercisesAreHonestTest}.)
 */
class LabLevelExercisesAreHonestIT {

    private static final String STAMPEDE_LAB = "dev.failurelab.exercise.stampede.StampedeLabExercise";

    @Test
    void stampedeLab_theReferenceLockHolds_theStarterRecomputesOncePerReplica() {
        assertThat(ExercisesAreHonestTest.run(STAMPEDE_LAB, "exercise.recompute-lock", "reference"))
                .as("the reference").hasSize(1).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = ExercisesAreHonestTest.run(STAMPEDE_LAB, "exercise.recompute-lock",
                MyRecomputeLock.class.getName());
        assertThat(starter).hasSize(1);
        assertThat(starter.values().iterator().next()).as("one recompute per replica: nothing shared stops them")
                .containsPattern("FAIL lock.origin-queries +2\\.00 == 1\\.00").contains("Hint: more than one caller recomputed");
    }
}
