package dev.failurelab.exercise.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.failurelab.chain.overload.ClientThrottle;
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
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 12.1, unit-level checks of your adaptive throttle ({@link MyAdaptiveThrottle}), in a
 * second: {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL with the
 * figure it measured and a hint. Another class runs with {@code -Dexercise.throttle=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class AdaptiveThrottleExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.throttle";

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));

    private ClientThrottle throttle(DoubleSupplier random) {
        String implementation = System.getProperty(IMPLEMENTATION, MyAdaptiveThrottle.class.getName());
        return ClientThrottle.factory(implementation).create(2, WINDOW, nanos::get, random);
    }

    /** {@code count} requests through {@code throttle}, the first {@code accepted} of the allowed ones accepted. */
    private static int traffic(ClientThrottle throttle, int count, int accepted) {
        int allowed = 0;
        for (int i = 0; i < count; i++) {
            if (throttle.allow()) {
                throttle.onAnswer(allowed < accepted);
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    @DisplayName("healthy: a backend that accepts everything is never throttled")
    void aHealthyBackendIsNeverThrottled() {
        ClientThrottle throttle = throttle(() -> 0); // the lowest draw rejects whenever p > 0
        int allowed = traffic(throttle, 1000, 1000);
        assertThat(allowed).as("allowed %d of 1000 requests to a backend that accepted all (expected 1000).%nHint:"
                + " with accepts = requests, requests - 2 x accepts is negative: the probability is max(0, ...)",
                allowed).isEqualTo(1000);
    }

    @Test
    @DisplayName("formula: p = max(0, (requests - 2 x accepts) / (requests + 1))")
    void theProbabilityIsTheBooksFormula() {
        ClientThrottle throttle = throttle(() -> 0.999_999); // never rejects: the counts stay as set
        traffic(throttle, 100, 20);
        double p = throttle.probability();
        assertThat(p).as("after 100 requests and 20 accepts, probability() is %.4f (expected (100 - 2 x 20) / 101"
                + " = 0.5941).%nHint: count every request asked for and every accept over the window; k is 2", p)
                .isCloseTo(60 / 101.0, within(1e-6));
    }

    @Test
    @DisplayName("reject: allow() rejects when the draw is below p")
    void allowRejectsWithTheProbability() {
        double[] draw = {0.999_999};
        ClientThrottle throttle = throttle(() -> draw[0]);
        traffic(throttle, 100, 20); // p is now about 0.59
        draw[0] = 0.5;
        boolean low = throttle.allow();
        draw[0] = 0.7;
        boolean high = throttle.allow();
        assertThat(low).as("with p about 0.59, a draw of 0.5 was allowed (expected rejected).%nHint: draw"
                + " random.getAsDouble() and reject when it is below the probability").isFalse();
        assertThat(high).as("with p about 0.59, a draw of 0.7 was rejected (expected allowed)").isTrue();
    }

    @Test
    @DisplayName("rejections count: a request rejected locally is still a request")
    void rejectedRequestsCountAsRequests() {
        ClientThrottle throttle = throttle(() -> 0); // rejects whenever p > 0
        throttle.allow();
        throttle.onAnswer(false); // p = 1 / 2
        int rejected = 0;
        for (int i = 0; i < 50; i++) {
            rejected += throttle.allow() ? 0 : 1;
        }
        double p = throttle.probability();
        assertThat(p).as("after 1 refused request and 50 rejected locally, probability() is %.3f (expected 51/52"
                + " = 0.981).%nHint: allow() counts the request whether it lets it through or not (the book's"
                + " 'requests' are what the application asked for), so a refusing backend is throttled harder", p)
                .isCloseTo(51 / 52.0, within(1e-6));
        assertThat(rejected).as("rejected %d of 50 (expected 50)", rejected).isEqualTo(50);
    }

    @Test
    @DisplayName("window: history older than the window stops counting")
    void oldHistoryLeavesTheWindow() {
        ClientThrottle throttle = throttle(() -> 0.999_999);
        traffic(throttle, 100, 0);
        double before = throttle.probability();
        nanos.addAndGet(WINDOW.plusSeconds(1).toNanos());
        double after = throttle.probability();
        assertThat(before).as("after 100 requests and no accepts, probability() is %.3f (expected 100/101)", before)
                .isCloseTo(100 / 101.0, within(1e-6));
        assertThat(after).as("a window later, with nothing since, probability() is %.3f (expected 0).%nHint:"
                + " requests and accepts older than the window must stop counting (keep counts per time slice,"
                + " drop the slices that leave the window; time comes from nanoClock), or a backend that is back"
                + " stays throttled", after).isZero();
    }

    @Test
    @DisplayName("concurrency: 8 threads, every request and accept counted")
    void concurrentCallersAreAllCounted() throws Exception {
        ClientThrottle throttle = throttle(() -> 0.999_999);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(executor.submit(() -> {
                start.await();
                for (int i = 0; i < 10_000; i++) {
                    throttle.allow();
                    throttle.onAnswer(i % 4 == 0);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(30, TimeUnit.SECONDS);
        }
        executor.shutdownNow();
        double p = throttle.probability();
        assertThat(p * 80_001).as("8 threads, 80,000 requests, 20,000 accepts: probability() x 80,001 is %.1f"
                + " (expected 40,000: (80,000 - 2 x 20,000)).%nHint: the counts must not lose updates under"
                + " concurrent callers (synchronized, or atomic counters)", p * 80_001).isCloseTo(40_000, within(2.0));
    }
}
