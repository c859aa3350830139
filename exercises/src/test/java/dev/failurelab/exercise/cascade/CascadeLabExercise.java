package dev.failurelab.exercise.cascade;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 12.1 at the lab's level: the cascade lab's largest trigger (70% of the bottom's capacity
 * cut for 4 s) under naive retries, which stay down after it, then with your throttle on the
 * middle ({@link MyAdaptiveThrottle}, or {@code -Dexercise.throttle=<class>}) as the one defence:
 * the chain must recover within the observation (10 s after the trigger's end). About 50 s on real servers. Run the
 * unit-level checks first ({@code AdaptiveThrottleExercise}): they take a second.
 */
@ExtendWith(ExerciseReport.class)
class CascadeLabExercise {

    private static final Map<String, String> RUN = Map.of(
            "grid.magnitudes", "0.7",
            "grid.durations", "4s",
            "map.rows", "naive",
            "map.single-defences", "throttle",
            "map.single-defence-cells", "1",
            "phase.warmup", "2s",
            "phase.baseline", "2s");

    private static final Map<String, String> HINTS = Map.of(
            "throttle.unrecovered-cells", "with your throttle on the middle the chain stayed down after the trigger: it must"
                    + " reject locally as the backend stops accepting (p = (requests - 2 x accepts) / (requests + 1)),"
                    + " so the retries stop reaching the bottom, and let requests through again once accepts come back"
                    + " (forget what is older than the window)");

    @Test
    @DisplayName("the cascade lab: naive retries stay down after the trigger, your throttle alone brings the chain back")
    void yourThrottleEndsTheMetastableState() throws Exception {
        LabLevelExercise.runAndJudge("cascade", RUN,
                System.getProperty(AdaptiveThrottleExercise.IMPLEMENTATION, MyAdaptiveThrottle.class.getName()),
                List.of("naive.metastable-cells", "throttle.unrecovered-cells"), HINTS);
    }
}
