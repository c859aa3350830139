package dev.failurelab.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.failurelab.exercise.cascade.MyAdaptiveThrottle;
import dev.failurelab.exercise.cascade.fixtures.AcceptsOnlyThrottle;
import dev.failurelab.exercise.cascade.fixtures.NeverForgettingThrottle;
import dev.failurelab.exercise.discovery.MyHealthPolicy;
import dev.failurelab.exercise.discovery.fixtures.FallOnlyPolicy;
import dev.failurelab.exercise.discovery.fixtures.NeverBackPolicy;
import dev.failurelab.exercise.dns.MyStalePolicy;
import dev.failurelab.exercise.dns.fixtures.NeverRefreshingPolicy;
import dev.failurelab.exercise.dns.fixtures.UnboundedStalePolicy;
import dev.failurelab.exercise.partition.MyLoadBound;
import dev.failurelab.exercise.partition.fixtures.FixedEpsilonBound;
import dev.failurelab.exercise.partition.fixtures.UncountedRequestBound;
import dev.failurelab.exercise.queue.MyWaitLimit;
import dev.failurelab.exercise.queue.fixtures.AlwaysTargetLimit;
import dev.failurelab.exercise.retrystorm.MyRetryBudget;
import dev.failurelab.exercise.retrystorm.fixtures.NeverExpiringBudget;
import dev.failurelab.exercise.retrystorm.fixtures.NoReserveBudget;
import dev.failurelab.exercise.stampede.MyRecomputeLock;
import dev.failurelab.exercise.stampede.fixtures.NoTtlLock;
import dev.failurelab.exercise.stampede.fixtures.PlainDelLock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The exercises are honest: each runs against the project's own implementation (every check
 * must pass), against its starter (some check must fail: a starter that passes teaches nothing)
 * and against deliberately wrong implementations (the check that catches the mistake must fail,
 * with the hint that names it).
 */
class ExercisesAreHonestTest {

    private static final String RETRY_BUDGET = "dev.failurelab.exercise.retrystorm.RetryBudgetExercise";
    private static final String RECOMPUTE_LOCK = "dev.failurelab.exercise.stampede.RecomputeLockExercise";
    private static final String THROTTLE = "dev.failurelab.exercise.cascade.AdaptiveThrottleExercise";
    private static final String WAIT_LIMIT = "dev.failurelab.exercise.queue.WaitLimitExercise";
    private static final String LOAD_BOUND = "dev.failurelab.exercise.partition.LoadBoundExercise";
    private static final String STALE_POLICY = "dev.failurelab.exercise.dns.StalePolicyExercise";
    private static final String HEALTH_POLICY = "dev.failurelab.exercise.discovery.HealthPolicyExercise";
    private static final String WRITE_QUORUM = "dev.failurelab.exercise.splitbrain.WriteQuorumExercise";

    @Test
    void retryBudget_theReferencePasses_theStarterAndTheWrongOnesFailWithTheirHint() {
        assertThat(run(RETRY_BUDGET, "exercise.retry-budget", "reference")).as("the reference")
                .allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(RETRY_BUDGET, "exercise.retry-budget", MyRetryBudget.class.getName());
        assertThat(starter.values()).as("the starter fails the exercise").anyMatch(failure -> !failure.isEmpty());
        assertThat(starter.get("ratioOfTheRequestsInTheWindow()")).contains("allowed 500 of 500", "Hint:");

        Map<String, String> neverExpiring = run(RETRY_BUDGET, "exercise.retry-budget",
                NeverExpiringBudget.class.getName());
        assertThat(neverExpiring.get("oldRetriesLeaveTheWindow()"))
                .contains("retries older than the window must stop counting");
        assertThat(neverExpiring.get("ratioOfTheRequestsInTheWindow()")).as("what it gets right passes").isEmpty();

        Map<String, String> noReserve = run(RETRY_BUDGET, "exercise.retry-budget", NoReserveBudget.class.getName());
        assertThat(noReserve.get("reserveWithNoTraffic()")).contains("allowed 0 of 100", "the reserve is");
        assertThat(noReserve.entrySet()).as("only the reserve is wrong")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("reserveWithNoTraffic()");
    }

    @Test
    void recomputeLock_theReferencePasses_theStarterAndTheWrongOnesFailWithTheirHint() {
        assertThat(run(RECOMPUTE_LOCK, "exercise.recompute-lock", "reference")).as("the reference")
                .hasSize(6).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(RECOMPUTE_LOCK, "exercise.recompute-lock", MyRecomputeLock.class.getName());
        assertThat(starter.get("oneHolderAtATime()")).contains("8 of 8 racing callers got the lock", "NX", "Hint:");
        assertThat(starter.get("aDeadHoldersLockExpires()")).contains("-1 means none", "PX");
        assertThat(starter.get("aLateReleaseLeavesTheNewHolder()")).contains("plain DEL");
        assertThat(starter.get("onlyTheHolderExtends()")).contains("returned true (expected false)");

        Map<String, String> plainDel = run(RECOMPUTE_LOCK, "exercise.recompute-lock", PlainDelLock.class.getName());
        assertThat(plainDel.get("aLateReleaseLeavesTheNewHolder()")).contains("a third caller got the lock",
                "a plain DEL deletes whoever's lock is there");
        assertThat(plainDel.entrySet()).as("only the release is wrong")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("aLateReleaseLeavesTheNewHolder()");

        Map<String, String> noTtl = run(RECOMPUTE_LOCK, "exercise.recompute-lock", NoTtlLock.class.getName());
        assertThat(noTtl.get("aDeadHoldersLockExpires()")).contains("TTL right after tryAcquire(ttl 300 ms) was -1 ms",
                "a holder that dies never releases");
        assertThat(noTtl.get("aLateReleaseLeavesTheNewHolder()")).contains("must expire after its TTL");
        assertThat(noTtl.get("oneHolderAtATime()")).as("what it gets right passes").isEmpty();
    }

    @Test
    void adaptiveThrottle_theReferencePasses_theStarterAndTheWrongOnesFailWithTheirHint() {
        assertThat(run(THROTTLE, "exercise.throttle", "reference")).as("the reference")
                .hasSize(6).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(THROTTLE, "exercise.throttle", MyAdaptiveThrottle.class.getName());
        assertThat(starter.get("theProbabilityIsTheBooksFormula()")).contains("probability() is 0.0000", "Hint:");
        assertThat(starter.get("aHealthyBackendIsNeverThrottled()")).as("what it gets right passes").isEmpty();

        Map<String, String> acceptsOnly = run(THROTTLE, "exercise.throttle", AcceptsOnlyThrottle.class.getName());
        assertThat(acceptsOnly.get("rejectedRequestsCountAsRequests()")).contains("counts the request whether it lets"
                + " it through or not");
        assertThat(acceptsOnly.entrySet()).as("only the counting of rejections is wrong")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("rejectedRequestsCountAsRequests()");

        Map<String, String> neverForgetting = run(THROTTLE, "exercise.throttle",
                NeverForgettingThrottle.class.getName());
        assertThat(neverForgetting.get("oldHistoryLeavesTheWindow()")).contains("older than the window must stop"
                + " counting");
        assertThat(neverForgetting.entrySet()).as("only the window is wrong")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("oldHistoryLeavesTheWindow()");
    }

    @Test
    void waitLimit_theReferencePasses_theStarterAndTheWrongOneFailWithTheirHint() {
        assertThat(run(WAIT_LIMIT, "exercise.wait-limit", "reference")).as("the reference")
                .hasSize(4).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(WAIT_LIMIT, "exercise.wait-limit", MyWaitLimit.class.getName());
        assertThat(starter.get("aStandingQueue_limitsTheWaitToTheTarget()")).contains("wait forever", "Hint:");
        assertThat(starter.get("adaptiveLifo_servesTheNewestFirst_onlyWhileTheQueueStands()"))
                .contains("serves the oldest first");

        Map<String, String> alwaysTarget = run(WAIT_LIMIT, "exercise.wait-limit", AlwaysTargetLimit.class.getName());
        assertThat(alwaysTarget.get("aBurst_mayWaitTheInterval()")).contains("wait 5.0 ms (expected 100 ms",
                "a burst into an idle server is not overload");
        assertThat(alwaysTarget.entrySet()).as("only the burst is wrong (and the settings check, which reads it)")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("aBurst_mayWaitTheInterval()", "theDurations_comeFromTheSettings()");
    }

    @Test
    void loadBound_theReferencePasses_theStarterAndTheWrongOnesFailWithTheirHint() {
        assertThat(run(LOAD_BOUND, "exercise.load-bound", "reference")).as("the reference")
                .hasSize(4).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(LOAD_BOUND, "exercise.load-bound", MyLoadBound.class.getName());
        assertThat(starter.get("aShardAtTheBound_isFull_countingTheRequest()")).contains("carrying 60", "Hint:");
        assertThat(starter.get("theBalanceFactor_isTheOneGiven()")).contains("epsilon 0");

        Map<String, String> uncounted = run(LOAD_BOUND, "exercise.load-bound", UncountedRequestBound.class.getName());
        assertThat(uncounted.get("aShardAtTheBound_isFull_countingTheRequest()")).contains("already at the bound",
                "the request counts on the shard too");
        assertThat(uncounted.entrySet()).as("only the counting of the request is wrong")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("aShardAtTheBound_isFull_countingTheRequest()");

        Map<String, String> fixed = run(LOAD_BOUND, "exercise.load-bound", FixedEpsilonBound.class.getName());
        assertThat(fixed.get("theBalanceFactor_isTheOneGiven()")).contains("epsilon 1", "not a constant");
        assertThat(fixed.entrySet()).as("only the balance factor is wrong")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("theBalanceFactor_isTheOneGiven()");
    }

    @Test
    void stalePolicy_theReferencePasses_theStarterAndTheWrongOnesFailWithTheirHint() {
        assertThat(run(STALE_POLICY, "exercise.stale-policy", "reference")).as("the reference")
                .hasSize(4).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(STALE_POLICY, "exercise.stale-policy", MyStalePolicy.class.getName());
        assertThat(starter.get("aFreshlyExpiredAnswer_isServed_andRefreshed()")).contains("QUERY (expected"
                + " STALE_AND_REFRESH)", "Hint:");
        assertThat(starter.get("afterAFailedRefresh_theDnsIsLeftAlone_untilTheRecheck()")).contains("expected STALE");

        Map<String, String> neverRefreshing = run(STALE_POLICY, "exercise.stale-policy",
                NeverRefreshingPolicy.class.getName());
        assertThat(neverRefreshing.get("aFreshlyExpiredAnswer_isServed_andRefreshed()"))
                .contains("STALE alone would serve the old record forever");
        assertThat(neverRefreshing.entrySet()).as("only the refresh is missing (and the recheck's end, which reads it)")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("aFreshlyExpiredAnswer_isServed_andRefreshed()",
                        "afterAFailedRefresh_theDnsIsLeftAlone_untilTheRecheck()", "theTimers_comeFromTheSettings()");

        Map<String, String> unbounded = run(STALE_POLICY, "exercise.stale-policy", UnboundedStalePolicy.class.getName());
        assertThat(unbounded.get("pastTheStaleTtl_askTheDns()")).contains("staleness is bounded");
        assertThat(unbounded.entrySet()).as("only the stale TTL is wrong (and the settings check, which reads it)")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("pastTheStaleTtl_askTheDns()", "theTimers_comeFromTheSettings()");
    }

    @Test
    void healthPolicy_theReferencePasses_theStarterAndTheWrongOnesFailWithTheirHint() {
        assertThat(run(HEALTH_POLICY, "exercise.health-policy", "reference")).as("the reference")
                .hasSize(4).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(HEALTH_POLICY, "exercise.health-policy", MyHealthPolicy.class.getName());
        assertThat(starter.get("aFlappingInstance_staysOut()")).contains("(expected at most 1)", "Hint:");
        assertThat(starter.get("oneFailure_doesNotTakeItOut()")).contains("one lost check is noise");

        Map<String, String> fallOnly = run(HEALTH_POLICY, "exercise.health-policy", FallOnlyPolicy.class.getName());
        assertThat(fallOnly.get("aFlappingInstance_staysOut()")).contains("must pass rise checks in a row");
        assertThat(fallOnly.entrySet()).as("only the rise is wrong")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("aFlappingInstance_staysOut()", "aRecoveredInstance_returnsAfterRise()");

        Map<String, String> neverBack = run(HEALTH_POLICY, "exercise.health-policy", NeverBackPolicy.class.getName());
        assertThat(neverBack.get("aRecoveredInstance_returnsAfterRise()")).contains("a recovered instance idles");
        assertThat(neverBack.get("aFlappingInstance_staysOut()")).as("staying out passes the flapping check").isEmpty();
        assertThat(neverBack.entrySet()).as("only the return is wrong (and the settings check, which reads it)")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactly("aRecoveredInstance_returnsAfterRise()", "fallAndRise_comeFromTheSettings()");
    }

    @Test
    void writeQuorum_theReferencePasses_theStarterAndTheWrongOnesFailWithTheirHint() {
        assertThat(run(WRITE_QUORUM, "exercise.write-quorum", "reference")).as("the reference")
                .hasSize(4).allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());

        Map<String, String> starter = run(WRITE_QUORUM, "exercise.write-quorum",
                dev.failurelab.exercise.splitbrain.MyWriteQuorum.class.getName());
        assertThat(starter.get("theLeaderAlone_doesNotCommit()")).contains("committed=true (expected false)", "Hint:");
        assertThat(starter.get("twoSidesOfAPartition_neverBothCommit()")).contains("a quorum must be more than half");

        Map<String, String> everyReplica = run(WRITE_QUORUM, "exercise.write-quorum",
                dev.failurelab.exercise.splitbrain.fixtures.EveryReplicaQuorum.class.getName());
        assertThat(everyReplica.get("theMajoritySide_goesOnCommitting()")).contains("stops at the first replica lost");
        assertThat(everyReplica.entrySet()).as("only the availability is wrong (and the size check, which reads it)")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("theMajoritySide_goesOnCommitting()", "theClustersSize_isASetting()");

        Map<String, String> half = run(WRITE_QUORUM, "exercise.write-quorum",
                dev.failurelab.exercise.splitbrain.fixtures.HalfQuorum.class.getName());
        assertThat(half.get("twoSidesOfAPartition_neverBothCommit()")).contains("2 | 2");
        assertThat(half.entrySet()).as("only even sizes are wrong (the partition and the size checks)")
                .filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("twoSidesOfAPartition_neverBothCommit()", "theClustersSize_isASetting()");
    }

    /** Runs an exercise class with {@code property=value}: each check's method name, and its failure ("" if it passed). */
    static Map<String, String> run(String exercise, String property, String value) {
        String before = System.getProperty(property);
        System.setProperty(property, value);
        Map<String, String> results = new TreeMap<>();
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(exercise)).build();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (test.isTest()) {
                        String name = test.getLegacyReportingName();
                        results.put(name, result.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse(""));
                    }
                }
            });
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
        assertThat(results).as("checks run for " + value).isNotEmpty();
        return results;
    }
}
