package dev.failurelab.exercise.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.dns.StalePolicy;
import dev.failurelab.chain.dns.StalePolicy.Decision;
import dev.failurelab.exercise.ExerciseReport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.7, unit-level checks of your serve-stale ({@link MyStalePolicy}), in a second:
 * {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL with what it
 * measured and a hint. Another class runs with {@code -Dexercise.stale-policy=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class StalePolicyExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.stale-policy";

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration RECHECK = Duration.ofSeconds(30);

    private static StalePolicy policy() {
        return StalePolicy.of(System.getProperty(IMPLEMENTATION, MyStalePolicy.class.getName()));
    }

    @Test
    @DisplayName("stale now: an answer expired 2 s ago is served at once, and refreshed in the background")
    void aFreshlyExpiredAnswer_isServed_andRefreshed() {
        Decision decision = policy().decide(Duration.ofSeconds(2), DAY, null, RECHECK);
        assertThat(decision).as("an answer expired 2 s ago (stale TTL 1 day, no failed refresh): %s (expected"
                + " STALE_AND_REFRESH).%nHint: serve the expired record now, so the request never waits for the DNS,"
                + " and ask for a fresh one in the background; QUERY waits for the DNS (and fails with it), STALE"
                + " alone would serve the old record forever", decision).isEqualTo(Decision.STALE_AND_REFRESH);
    }

    @Test
    @DisplayName("the recheck timer: after a failed refresh, serve stale and leave the DNS alone for a while")
    void afterAFailedRefresh_theDnsIsLeftAlone_untilTheRecheck() {
        StalePolicy policy = policy();
        Decision soon = policy.decide(Duration.ofSeconds(12), DAY, Duration.ofSeconds(5), RECHECK);
        Decision later = policy.decide(Duration.ofSeconds(40), DAY, Duration.ofSeconds(31), RECHECK);
        assertThat(soon).as("a refresh failed 5 s ago (recheck 30 s): %s (expected STALE).%nHint: a DNS that just"
                + " failed is likely down: asking it again on every lookup is a storm against it (RFC 8767: wait"
                + " at least 30 s)", soon).isEqualTo(Decision.STALE);
        assertThat(later).as("a refresh failed 31 s ago (recheck 30 s): %s (expected STALE_AND_REFRESH).%nHint:"
                + " once the recheck timer has passed, try again, or the record is never refreshed after the"
                + " DNS is back", later).isEqualTo(Decision.STALE_AND_REFRESH);
    }

    @Test
    @DisplayName("bounded staleness: an answer expired for the stale TTL or more is not served")
    void pastTheStaleTtl_askTheDns() {
        StalePolicy policy = policy();
        Decision over = policy.decide(Duration.ofDays(2), DAY, null, RECHECK);
        Decision at = policy.decide(DAY, DAY, Duration.ofMinutes(1), RECHECK);
        assertThat(over).as("an answer expired 2 days ago (stale TTL 1 day): %s (expected QUERY).%nHint: staleness"
                + " is bounded; past the stale TTL the address may well have changed", over)
                .isEqualTo(Decision.QUERY);
        assertThat(at).as("an answer expired exactly the stale TTL ago: %s (expected QUERY: the TTL is the"
                + " limit, not one more)", at).isEqualTo(Decision.QUERY);
    }

    @Test
    @DisplayName("the timers given: the stale TTL and the recheck are live settings, not constants")
    void theTimers_comeFromTheSettings() {
        StalePolicy policy = policy();
        Decision shortTtl = policy.decide(Duration.ofSeconds(10), Duration.ofSeconds(5), null, RECHECK);
        Decision shortRecheck = policy.decide(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(1));
        assertThat(shortTtl).as("expired 10 s ago with a stale TTL of 5 s: %s (expected QUERY).%nHint: use staleTtl"
                + " as given (chain.dns.stale-ttl is live)", shortTtl).isEqualTo(Decision.QUERY);
        assertThat(shortRecheck).as("a refresh failed 2 s ago with a recheck of 1 s: %s (expected"
                + " STALE_AND_REFRESH).%nHint: use recheck as given (chain.dns.stale-recheck is live)", shortRecheck)
                .isEqualTo(Decision.STALE_AND_REFRESH);
    }
}
