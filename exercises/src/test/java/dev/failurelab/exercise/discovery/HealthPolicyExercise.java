package dev.failurelab.exercise.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.discovery.HealthPolicy;
import dev.failurelab.exercise.ExerciseReport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.8, unit-level checks of your health checks with hysteresis ({@link MyHealthPolicy}),
 * in a second: {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL
 * with what it measured and a hint. Another class runs with {@code -Dexercise.health-policy=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class HealthPolicyExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.health-policy";

    private static final int FALL = 2;
    private static final int RISE = 15;

    private static HealthPolicy policy() {
        return HealthPolicy.of(System.getProperty(IMPLEMENTATION, MyHealthPolicy.class.getName()));
    }

    /**
     * Feeds one check result per second to the policy as the balancer does (it keeps the counts),
     * and returns how many times the instance went in or out.
     */
    private static int changes(HealthPolicy policy, boolean[] checks) {
        boolean healthy = true;
        int successes = 0;
        int failures = 0;
        int changes = 0;
        for (boolean passed : checks) {
            successes = passed ? successes + 1 : 0;
            failures = passed ? 0 : failures + 1;
            boolean next = policy.healthy(healthy, successes, failures, FALL, RISE);
            changes += next == healthy ? 0 : 1;
            healthy = next;
        }
        return changes;
    }

    private static boolean[] flapping(int seconds, int period) {
        boolean[] checks = new boolean[seconds];
        for (int i = 0; i < seconds; i++) {
            checks[i] = (i / period) % 2 == 1; // down first, then up, and again
        }
        return checks;
    }

    @Test
    @DisplayName("a flapping instance: its health down 10 s, up 10 s for a minute, it changes at most once")
    void aFlappingInstance_staysOut() {
        int changes = changes(policy(), flapping(60, 10));
        assertThat(changes).as("membership changes over a minute of flapping every 10 s (fall %d, rise %d): %d"
                + " (expected at most 1).%nHint: an instance out of service must pass rise checks in a row before it"
                + " is called again; 10 good checks then a failure start the count over", FALL, RISE, changes)
                .isLessThanOrEqualTo(1);
    }

    @Test
    @DisplayName("one failed check is not enough to take an instance out: fall failures in a row are")
    void oneFailure_doesNotTakeItOut() {
        HealthPolicy policy = policy();
        boolean afterOne = policy.healthy(true, 0, 1, FALL, RISE);
        boolean afterFall = policy.healthy(true, 0, FALL, FALL, RISE);
        assertThat(afterOne).as("an instance in service after 1 failed check (fall %d): healthy=%s (expected"
                + " true).%nHint: one lost check is noise (a GC pause, a dropped packet): wait for fall in a row",
                FALL, afterOne).isTrue();
        assertThat(afterFall).as("after %d failed checks in a row (fall %d): healthy=%s (expected false).%nHint:"
                + " fall failures in a row take it out", FALL, FALL, afterFall).isFalse();
    }

    @Test
    @DisplayName("a recovered instance comes back after rise passed checks in a row, not before")
    void aRecoveredInstance_returnsAfterRise() {
        HealthPolicy policy = policy();
        boolean early = policy.healthy(false, RISE - 1, 0, FALL, RISE);
        boolean onTime = policy.healthy(false, RISE, 0, FALL, RISE);
        assertThat(early).as("out of service after %d passed checks (rise %d): healthy=%s (expected false).%nHint:"
                + " an instance that just recovered may fail again: wait for rise in a row", RISE - 1, RISE, early)
                .isFalse();
        assertThat(onTime).as("out of service after %d passed checks in a row (rise %d): healthy=%s (expected"
                + " true).%nHint: after rise good checks it must be called again, or a recovered instance idles"
                + " for good", RISE, RISE, onTime).isTrue();
    }

    @Test
    @DisplayName("the counts given: fall and rise are settings, not constants")
    void fallAndRise_comeFromTheSettings() {
        HealthPolicy policy = policy();
        boolean fastRise = policy.healthy(false, 3, 0, 1, 3);
        boolean slowFall = policy.healthy(true, 0, 4, 5, 15);
        assertThat(fastRise).as("out of service after 3 passed checks with rise 3: healthy=%s (expected true).%nHint:"
                + " use rise as given (chain.discovery.health-rise)", fastRise).isTrue();
        assertThat(slowFall).as("in service after 4 failed checks with fall 5: healthy=%s (expected true).%nHint:"
                + " use fall as given (chain.discovery.health-fall)", slowFall).isTrue();
    }
}
