package dev.failurelab.exercise.stampede;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.2 at the lab's level: the stampede lab's burst of 1000 requests at the hot key's
 * expiry, on two replicas sharing a real Redis and a real PostgreSQL, under the {@code lock}
 * strategy with your lock ({@link MyRecomputeLock}, or {@code -Dexercise.recompute-lock=<class>}).
 * Its hypotheses print PASS or FAIL with their figures, and a hint. Run the unit-level checks first
 * ({@code RecomputeLockExercise}): they take seconds.
 */
@ExtendWith(ExerciseReport.class)
class StampedeLabExercise {

    private static final Map<String, String> HINTS = Map.of(
            "lock.origin-queries", "more than one caller recomputed at the expiry: your lock let several callers hold"
                    + " it at once (take it with SET NX), or a holder released another holder's lock (compare-and-delete)",
            "lock.errors", "requests failed: waiters gave up (cache_wait_timeout) because the lock was never freed:"
                    + " release must delete it for its holder, and it must expire (PX) if the holder dies",
            "lock.wait-p99-over-recompute-ms", "waiters waited far longer than the recompute: the lock stayed held"
                    + " after the value was stored (release), or expired too late");

    @Test
    @DisplayName("the stampede lab's lock hypotheses, with your lock on both replicas")
    void theLabsLockHypothesesHold_withYourLock() throws Exception {
        LabLevelExercise.runAndJudge("stampede", Map.of("strategies", "lock"),
                System.getProperty(RecomputeLockExercise.IMPLEMENTATION, MyRecomputeLock.class.getName()),
                List.of("lock.origin-queries", "lock.errors", "lock.wait-p99-over-recompute-ms"), HINTS);
    }
}
