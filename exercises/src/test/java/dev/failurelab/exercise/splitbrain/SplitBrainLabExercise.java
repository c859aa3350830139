package dev.failurelab.exercise.splitbrain;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import dev.failurelab.lab.splitbrain.SplitBrainLab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.9 at the lab's level: the split-brain lab's consensus row with your quorum in the three
 * store nodes ({@link MyWriteQuorum}, or {@code -Dexercise.write-quorum=<class>}): the leader is cut
 * from the other two and from ZooKeeper; no acknowledged write may be lost, the cut leader may commit
 * nothing, and the history must stay linearizable. About 20 s on real servers. Run the unit-level
 * checks first ({@code WriteQuorumExercise}): they take a second.
 */
@ExtendWith(ExerciseReport.class)
class SplitBrainLabExercise {

    /** The consensus row, compressed as the lab's IT runs it. */
    private static final Map<String, String> RUN = LabLevelExercise.shortRunOf(SplitBrainLab.SHORT_RUN,
            "consensus-partition");

    private static final Map<String, String> HINTS = Map.of(
            "consensus-partition.minority-commits", "the cut leader acknowledged writes it could store on itself"
                    + " alone: a write is committed only once a majority of the replicas stored it",
            "consensus-partition.lost", "writes the cut leader acknowledged alone never reached the new leader, and"
                    + " vanished when the partition healed");

    @Test
    @DisplayName("the split-brain lab: your quorum loses no acknowledged write under a partition")
    void yourQuorumLosesNoAcknowledgedWrite() throws Exception {
        LabLevelExercise.runAndJudge("split-brain", RUN,
                System.getProperty(WriteQuorumExercise.IMPLEMENTATION, MyWriteQuorum.class.getName()),
                List.of("consensus-partition.lost", "consensus-partition.minority-commits"), HINTS);
    }
}
