package dev.failurelab.exercise.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.partition.LoadBound;
import dev.failurelab.exercise.ExerciseReport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 12.5, unit-level checks of your bounded-load test ({@link MyLoadBound}), in a second:
 * {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL with the figure it
 * measured and a hint. Another class runs with {@code -Dexercise.load-bound=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class LoadBoundExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.load-bound";

    private static LoadBound bound() {
        return LoadBound.of(System.getProperty(IMPLEMENTATION, MyLoadBound.class.getName()));
    }

    @Test
    @DisplayName("room: a shard under the bound, or idle, takes the request")
    void aShardUnderTheBound_hasRoom() {
        LoadBound bound = bound();
        // 159 in flight on 8 shards, the request makes 160: average 20, bound 1.25 x 20 = 25.
        assertThat(bound.hasRoom(24, 159, 8, 0.25)).as("a shard at 24 of a bound of 25 (159 in flight on 8 shards,"
                + " epsilon 0.25) has no room (expected room: with the request it carries 25, the bound).%nHint: count"
                + " the request on both sides: load + 1 against (1 + epsilon) x (total + 1) / shards").isTrue();
        assertThat(bound.hasRoom(0, 159, 8, 0.25)).as("an idle shard has no room (expected room)").isTrue();
    }

    @Test
    @DisplayName("full: a shard whose load with the request would pass the bound has no room")
    void aShardAtTheBound_isFull_countingTheRequest() {
        LoadBound bound = bound();
        boolean atBound = bound.hasRoom(25, 159, 8, 0.25);
        boolean far = bound.hasRoom(60, 159, 8, 0.25);
        assertThat(far).as("a shard carrying 60 where the bound is 25 has room (expected none).%nHint: a shard has"
                + " room only while its load with the request stays within (1 + epsilon) times the average: that"
                + " is what keeps a celebrity key from melting its shard").isFalse();
        assertThat(atBound).as("a shard already at the bound of 25 has room (expected none: with the request it"
                + " would carry 26).%nHint: the request counts on the shard too: load + 1, not load").isFalse();
    }

    @Test
    @DisplayName("the average counts the request: total + 1")
    void theAverage_countsTheRequestToo() {
        LoadBound bound = bound();
        // 15 in flight on 4 shards, the request makes 16: average 4, bound 1.25 x 4 = 5.
        assertThat(bound.hasRoom(4, 15, 4, 0.25)).as("a shard at 4 (15 in flight on 4 shards, epsilon 0.25) has no"
                + " room (expected room: with the request the average is 16 / 4 = 4 and the bound 5).%nHint: the"
                + " average is over total + 1, the requests with this one").isTrue();
    }

    @Test
    @DisplayName("epsilon: the balance factor given, 0 to the average, 1 to twice it")
    void theBalanceFactor_isTheOneGiven() {
        LoadBound bound = bound();
        boolean zeroUnder = bound.hasRoom(3, 15, 4, 0);
        boolean zeroOver = bound.hasRoom(5, 15, 4, 0);
        boolean oneUnder = bound.hasRoom(7, 15, 4, 1.0);
        boolean oneOver = bound.hasRoom(9, 15, 4, 1.0);
        assertThat(zeroUnder && !zeroOver).as("epsilon 0 (bound: the average, 4): room at 3 is %s (expected true),"
                + " at 5 %s (expected false).%nHint: use the balance factor given; the router's is live"
                + " (chain.partition.balance-factor)", zeroUnder, zeroOver).isTrue();
        assertThat(oneUnder && !oneOver).as("epsilon 1 (bound: twice the average, 8): room at 7 is %s (expected"
                + " true), at 9 %s (expected false).%nHint: use the balance factor given, not a constant", oneUnder,
                oneOver).isTrue();
    }
}
