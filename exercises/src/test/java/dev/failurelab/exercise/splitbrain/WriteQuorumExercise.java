package dev.failurelab.exercise.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.store.WriteQuorum;
import dev.failurelab.exercise.ExerciseReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.9, unit-level checks of your quorum ({@link MyWriteQuorum}), in a second:
 * {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL with what it
 * measured and a hint. Another class runs with {@code -Dexercise.write-quorum=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class WriteQuorumExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.write-quorum";

    private static WriteQuorum quorum() {
        return WriteQuorum.of(System.getProperty(IMPLEMENTATION, MyWriteQuorum.class.getName()));
    }

    @Test
    @DisplayName("the lab's partition, {leader} | {the other two}: the leader's side alone must not commit")
    void theLeaderAlone_doesNotCommit() {
        boolean alone = quorum().committed(1, 3);
        assertThat(alone).as("a write stored on the cut leader alone, 1 of 3 replicas: committed=%s (expected"
                + " false).%nHint: the other two elect a new leader that never saw it, and the write is lost when the"
                + " partition heals: that is naive HA's split brain", alone).isFalse();
    }

    @Test
    @DisplayName("no partition of 1 to 7 replicas lets both sides commit")
    void twoSidesOfAPartition_neverBothCommit() {
        WriteQuorum quorum = quorum();
        List<String> both = new ArrayList<>();
        for (int replicas = 1; replicas <= 7; replicas++) {
            for (int side = 0; side <= replicas; side++) {
                if (quorum.committed(side, replicas) && quorum.committed(replicas - side, replicas)) {
                    both.add(side + " | " + (replicas - side));
                }
            }
        }
        assertThat(both).as("partitions where both sides commit: %s (expected none).%nHint: two sides can both hold"
                + " half of an even cluster (2 | 2): a quorum must be more than half", both).isEmpty();
    }

    @Test
    @DisplayName("the majority side goes on: N replicas survive floor((N-1)/2) lost")
    void theMajoritySide_goesOnCommitting() {
        WriteQuorum quorum = quorum();
        List<String> stopped = new ArrayList<>();
        for (int replicas = 1; replicas <= 7; replicas++) {
            int left = replicas - (replicas - 1) / 2;
            if (!quorum.committed(left, replicas)) {
                stopped.add(left + " of " + replicas);
            }
        }
        assertThat(stopped).as("majorities that could not commit: %s (expected none).%nHint: a quorum larger than a"
                + " majority is safe but stops at the first replica lost: 3 replicas must survive 1, 5 must survive"
                + " 2 (the quorum table)", stopped).isEmpty();
    }

    @Test
    @DisplayName("the cluster's size is given: the same rule for 3, 4 and 5 replicas")
    void theClustersSize_isASetting() {
        WriteQuorum quorum = quorum();
        boolean threeOfFour = quorum.committed(3, 4);
        boolean twoOfFour = quorum.committed(2, 4);
        boolean threeOfFive = quorum.committed(3, 5);
        assertThat(threeOfFour && !twoOfFour && threeOfFive).as("3 of 4: %s, 2 of 4: %s, 3 of 5: %s (expected true,"
                + " false, true).%nHint: compute the majority from the replicas given, floor(N/2) + 1", threeOfFour,
                twoOfFour, threeOfFive).isTrue();
    }
}
