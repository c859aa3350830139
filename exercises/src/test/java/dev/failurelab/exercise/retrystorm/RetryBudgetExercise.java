package dev.failurelab.exercise.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.retry.RetryThrottle;
import dev.failurelab.exercise.ExerciseReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 11.1, unit-level checks of your retry budget ({@link MyRetryBudget}), in a few
 * seconds: {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL with the
 * figure it measured and a hint. Another class runs with {@code -Dexercise.retry-budget=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class RetryBudgetExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.retry-budget";

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));

    private RetryThrottle budget(double ratio, double reservePerSecond) {
        String implementation = System.getProperty(IMPLEMENTATION, MyRetryBudget.class.getName());
        return RetryThrottle.factory(implementation).create(ratio, reservePerSecond, WINDOW, nanos::get);
    }

    private static int requests(RetryThrottle budget, int count) {
        for (int i = 0; i < count; i++) {
            budget.onRequest();
        }
        return count;
    }

    private static int retriesAllowed(RetryThrottle budget, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            allowed += budget.tryAcquireRetry() ? 1 : 0;
        }
        return allowed;
    }

    @Test
    @DisplayName("ratio: retries up to 10% of the requests in the window")
    void ratioOfTheRequestsInTheWindow() {
        RetryThrottle budget = budget(0.1, 0);
        requests(budget, 1000);
        int allowed = retriesAllowed(budget, 500);
        assertThat(allowed).as("allowed %d of 500 retries after 1000 requests at 10%% (expected 100).%n"
                + "Hint: count the requests and the retries of the window; a retry may go ahead only while"
                + " retries < ratio x requests (+ the reserve)", allowed).isEqualTo(100);
    }

    @Test
    @DisplayName("reserve: a quiet service may still retry (1/s over a 10 s window)")
    void reserveWithNoTraffic() {
        RetryThrottle budget = budget(0.1, 1);
        int allowed = retriesAllowed(budget, 100);
        assertThat(allowed).as("allowed %d of 100 retries with no requests and a reserve of 1 retry/s over 10 s"
                + " (expected 10).%nHint: the reserve is minRetriesPerSecond x the window's seconds, granted even"
                + " with no traffic", allowed).isEqualTo(10);
    }

    @Test
    @DisplayName("window: retries older than the window stop counting")
    void oldRetriesLeaveTheWindow() {
        RetryThrottle budget = budget(0.1, 0);
        requests(budget, 100);
        int first = retriesAllowed(budget, 100);
        nanos.addAndGet(WINDOW.plusSeconds(1).toNanos());
        requests(budget, 100);
        int later = retriesAllowed(budget, 100);
        assertThat(first).as("allowed %d of 100 retries after 100 requests at 10%% (expected 10).%nHint: a retry"
                + " may go ahead only while retries < ratio x requests", first).isEqualTo(10);
        assertThat(later).as("a window later, after 100 new requests, allowed %d of 100 retries (expected 10).%n"
                + "Hint: retries older than the window must stop counting: keep the counts per time slice, and drop"
                + " the slices that leave the window (time comes from nanoClock)", later).isEqualTo(10);
    }

    @Test
    @DisplayName("window: requests older than the window stop earning retries")
    void oldRequestsStopEarning() {
        RetryThrottle budget = budget(0.1, 0);
        requests(budget, 100);
        nanos.addAndGet(WINDOW.plusSeconds(1).toNanos());
        int allowed = retriesAllowed(budget, 100);
        assertThat(allowed).as("a window after 100 requests (and none since), allowed %d of 100 retries"
                + " (expected 0).%nHint: requests older than the window must stop earning retries, or a calm"
                + " hour pays for a storm", allowed).isZero();
    }

    @Test
    @DisplayName("tokens: what tryAcquireRetry would allow now")
    void tokensTellWhatIsLeft() {
        RetryThrottle budget = budget(0.1, 0);
        requests(budget, 100);
        double before = budget.tokens();
        retriesAllowed(budget, 10);
        double after = budget.tokens();
        assertThat(before).as("tokens() after 100 requests at 10%% is %s (expected 10).%nHint: tokens() is"
                + " ratio x requests + the reserve - retries, over the window (the dashboards show it)", before)
                .isEqualTo(10.0);
        assertThat(after).as("tokens() after taking those 10 retries is %s (expected 0)", after).isZero();
    }

    @Test
    @DisplayName("concurrency: 8 threads never take more than the budget")
    void concurrentCallersNeverOvershoot() throws Exception {
        RetryThrottle budget = budget(0.1, 0);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            results.add(executor.submit(() -> {
                start.await();
                int allowed = 0;
                for (int i = 0; i < 10_000; i++) {
                    budget.onRequest();
                    allowed += budget.tryAcquireRetry() ? 1 : 0;
                }
                return allowed;
            }));
        }
        start.countDown();
        int allowed = 0;
        for (Future<Integer> result : results) {
            allowed += result.get(30, TimeUnit.SECONDS);
        }
        executor.shutdownNow();
        assertThat(allowed).as("8 threads, 80,000 requests at 10%%: allowed %d retries (expected 7,999 to 8,000)."
                + "%nHint: checking the budget and taking a retry must be one step (a lock, or a compare-and-set"
                + " loop), or two threads both take the last retry", allowed).isBetween(7_999, 8_000);
    }
}
