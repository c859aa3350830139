package dev.failurelab.chain.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The SRE book's client-side throttle: p = max(0, (requests - K accepts) / (requests + 1)). */
class AdaptiveThrottleTest {

    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));

    private AdaptiveThrottle throttle(double draw) {
        return new AdaptiveThrottle(2, Duration.ofSeconds(10), nanos::get, () -> draw);
    }

    @Test
    void aBackendThatAcceptsEverything_isNeverThrottled() {
        AdaptiveThrottle throttle = throttle(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.allow()).isTrue();
            throttle.onAnswer(true);
        }
        assertThat(throttle.probability()).isZero();
    }

    @Test
    void theProbability_isTheBooksFormula_withK2() {
        AdaptiveThrottle throttle = throttle(0.999); // never rejects: the counts stay as set
        for (int i = 0; i < 100; i++) {
            throttle.allow();
            throttle.onAnswer(i < 20);
        }
        assertThat(throttle.probability()).isCloseTo((100 - 2 * 20) / 101.0, org.assertj.core.api.Assertions.within(1e-9));
        AdaptiveThrottle half = throttle(0.999);
        for (int i = 0; i < 100; i++) {
            half.allow();
            half.onAnswer(i % 2 == 0);
        }
        assertThat(half.probability()).as("accepts at half the requests: K = 2 still sends all").isZero();
    }

    @Test
    void requestsRejectedLocally_countAsRequests_soARefusingBackendIsThrottledHarder() {
        AdaptiveThrottle throttle = throttle(0); // a draw of 0 rejects whenever p > 0
        throttle.allow();
        throttle.onAnswer(false);
        double first = throttle.probability();
        int rejected = 0;
        for (int i = 0; i < 50; i++) {
            rejected += throttle.allow() ? 0 : 1;
        }
        assertThat(first).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(rejected).isEqualTo(50);
        assertThat(throttle.probability()).isGreaterThan(0.98);
    }

    @Test
    void historyOlderThanTheWindow_stopsCounting() {
        AdaptiveThrottle throttle = throttle(0.999);
        for (int i = 0; i < 100; i++) {
            throttle.allow();
            throttle.onAnswer(false);
        }
        assertThat(throttle.probability()).isGreaterThan(0.9);
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(throttle.probability()).isZero();
    }

    @Test
    void aKBelowOne_isRefused() {
        assertThatThrownBy(() -> new AdaptiveThrottle(0.5, Duration.ofSeconds(1), System::nanoTime, () -> 0))
                .hasMessageContaining("k must be at least 1");
    }
}
