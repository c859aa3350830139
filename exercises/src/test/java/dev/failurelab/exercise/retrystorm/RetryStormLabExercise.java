package dev.failurelab.exercise.retrystorm;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import dev.failurelab.lab.retrystorm.RetryStormLab;
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
        LabLevelExercise.runAndJudge("retry-storm", RetryStormLab.SHORT_RUN,
                System.getProperty(RetryBudgetExercise.IMPLEMENTATION, MyRetryBudget.class.getName()),
                List.of("budget.amplification", "budget.recovery-s"), HINTS);
    }
}
