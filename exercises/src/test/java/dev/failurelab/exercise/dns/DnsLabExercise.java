package dev.failurelab.exercise.dns;

import dev.failurelab.exercise.ExerciseReport;
import dev.failurelab.exercise.LabLevelExercise;
import dev.failurelab.lab.dns.DnsLab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.7 at the lab's level: the DNS lab's serve-stale rows with your policy in the edge's
 * and the middle's resolvers ({@link MyStalePolicy}, or {@code -Dexercise.stale-policy=<class>}): a
 * SERVFAIL outage of both DNS servers must cost at most 0.1% of the requests, and slow DNS answers
 * must leave the p99 within 2 times the baseline's. About 40 s on real servers. Run the unit-level
 * checks first ({@code StalePolicyExercise}): they take a second.
 */
@ExtendWith(ExerciseReport.class)
class DnsLabExercise {

    /** The serve-stale rows, compressed as the lab's IT runs them. */
    private static final Map<String, String> RUN = LabLevelExercise.shortRunOf(DnsLab.SHORT_RUN,
            "outage-serve-stale,slow-refresh");

    private static final Map<String, String> HINTS = Map.of(
            "outage-serve-stale.errors", "requests failed while the DNS was down: your policy did not serve the"
                    + " expired answers. Within the stale TTL, answer STALE_AND_REFRESH (or STALE after a failed"
                    + " refresh), not QUERY",
            "slow-refresh.p99-ratio", "requests waited for slow DNS answers: a lookup that answers QUERY waits for"
                    + " the DNS. Serve the expired record and refresh it in the background");

    @Test
    @DisplayName("the DNS lab: your serve-stale rides out a DNS outage and keeps slow DNS off the requests' path")
    void yourServeStaleRidesOutTheOutage() throws Exception {
        LabLevelExercise.runAndJudge("dns", RUN,
                System.getProperty(StalePolicyExercise.IMPLEMENTATION, MyStalePolicy.class.getName()),
                List.of("outage-serve-stale.errors", "slow-refresh.p99-ratio"), HINTS);
    }
}
