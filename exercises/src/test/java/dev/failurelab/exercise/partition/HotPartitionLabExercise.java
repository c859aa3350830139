package dev.failurelab.exercise.partition;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 12.5 at the lab's level: the hot-partition lab's plain row, then its bounded-load row,
 * the celebrity at 30% of 400 req/s on eight shards, with your bound in the router ({@link MyLoadBound}, or
 * {@code -Dexercise.load-bound=<class>}): no whole second may put more than 1.25 times the average
 * on any shard, and at most 1% may be throttled. About a minute on real servers. Run the unit-level
 * checks first ({@code LoadBoundExercise}): they take a second.
 */
@ExtendWith(ExerciseReport.class)
class HotPartitionLabExercise {

    /**
     * The plain row, then the bounded-load row: the plain row's celebrity is the contrast, and it
     * finishes warming the JVM (a fresh one still runs its request paths slowly after the warm-up
     * ramp: the first row's answers are late and a shard past its slots throttles, bound or not).
     */
    private static final Map<String, String> RUN = Map.of(
            "rows", "consistent,bounded-load",
            "phase.baseline", "2s",
            "phase.celebrity", "6s");

    private static final Map<String, String> HINTS = Map.of(
            "bounded-load.max-mean", "a second put more than 1.25 times the average on a shard: with your bound the"
                    + " celebrity's home kept taking its reads. A shard has room only while load + 1 stays within"
                    + " (1 + epsilon) x (total + 1) / shards",
            "bounded-load.throttled", "the celebrity's shard throttled: it took more than its capacity, so your bound"
                    + " let it run past (1 + epsilon) times the average");

    @Test
    @DisplayName("the hot-partition lab: your bound keeps every shard within 1.25 x the average under a celebrity")
    void yourBoundSpreadsTheCelebrity() throws Exception {
        LabLevelExercise.runAndJudge("hot-partition", RUN,
                System.getProperty(LoadBoundExercise.IMPLEMENTATION, MyLoadBound.class.getName()),
                List.of("bounded-load.max-mean", "bounded-load.throttled"), HINTS);
    }
}
