package dev.failurelab.exercise.queue;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 12.4 at the lab's level: the queue-overload lab's ramp to twice the capacity under
 * CoDel and adaptive LIFO, both with your wait limit on the bottom ({@link MyWaitLimit}, or
 * {@code -Dexercise.wait-limit=<class>}): goodput must hold at capacity with a p99 at most twice
 * the baseline's, and the queue must be empty within 2 s after. About 50 s on real servers. Run the
 * unit-level checks first ({@code WaitLimitExercise}): they take a second.
 */
@ExtendWith(ExerciseReport.class)
class QueueOverloadLabExercise {

    private static final Map<String, String> RUN = Map.of(
            "rows", "codel,adaptive-lifo",
            "capacity.probe", "3s",
            "phase.baseline", "2s",
            "phase.ramp-step", "1s",
            "drain.stable-seconds", "1",
            "phase.settle", "500ms");

    private static final String SHEDS = "with your wait limit the queue kept its waiters past the target: at twice the"
            + " capacity every answer waited the whole queue. Bound the wait to the target once the queue has stood"
            + " for the interval (the interval until then); the queue sheds whatever waited longer";
    private static final Map<String, String> HINTS = Map.of(
            "codel.p99-ratio", SHEDS,
            "adaptive-lifo.p99-ratio", SHEDS,
            "codel.goodput-share", "goodput fell under 90% of the capacity: a limit too short for a burst sheds work"
                    + " the server had time for (let a burst wait the interval)",
            "adaptive-lifo.goodput-share", "goodput fell under 90% of the capacity: a limit too short for a burst sheds"
                    + " work the server had time for (let a burst wait the interval)");

    @Test
    @DisplayName("the queue-overload lab: your CoDel holds goodput at capacity, with a short wait, at twice the load")
    void yourCodelHoldsGoodputAtTwiceTheCapacity() throws Exception {
        LabLevelExercise.runAndJudge("queue-overload", RUN,
                System.getProperty(WaitLimitExercise.IMPLEMENTATION, MyWaitLimit.class.getName()),
                List.of("codel.goodput-share", "codel.p99-ratio", "codel.drain-s", "adaptive-lifo.p99-ratio"), HINTS);
    }
}
