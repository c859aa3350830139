package dev.failurelab.exercise.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.capacity.WaitLimit;
import dev.failurelab.exercise.ExerciseReport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 12.4, unit-level checks of your CoDel ({@link MyWaitLimit}), in a second:
 * {@code ./mvnw test -Pexercise -pl exercises -am}. Each check prints PASS or FAIL with the figure it
 * measured and a hint. Another class runs with {@code -Dexercise.wait-limit=<class>}
 * ({@code reference}: the project's own).
 */
@ExtendWith(ExerciseReport.class)
class WaitLimitExercise {

    /** The system property that names the implementation under test. */
    static final String IMPLEMENTATION = "exercise.wait-limit";

    private static final Duration TARGET = Duration.ofMillis(5);
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static WaitLimit limit() {
        return WaitLimit.factory(System.getProperty(IMPLEMENTATION, MyWaitLimit.class.getName()))
                .create(TARGET, INTERVAL);
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static String shown(long nanos) {
        return nanos == Long.MAX_VALUE ? "forever" : String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    @Test
    @DisplayName("standing queue: once the queue has stood for the interval, a waiter may wait the target")
    void aStandingQueue_limitsTheWaitToTheTarget() {
        WaitLimit limit = limit();
        long atInterval = limit.maxWaitNanos(ms(100));
        long later = limit.maxWaitNanos(ms(2_000));
        assertThat(atInterval).as("a queue standing for 100 ms (the interval) lets a waiter wait %s (expected 5 ms, the"
                + " target).%nHint: a queue that has not been empty for a whole interval is a standing queue: bound"
                + " the wait to the target, so whatever waited longer is shed", shown(atInterval)).isEqualTo(ms(5));
        assertThat(later).as("a queue standing for 2 s lets a waiter wait %s (expected 5 ms)", shown(later))
                .isEqualTo(ms(5));
    }

    @Test
    @DisplayName("burst: a queue that was just empty lets a waiter wait the interval")
    void aBurst_mayWaitTheInterval() {
        WaitLimit limit = limit();
        long fresh = limit.maxWaitNanos(0);
        long young = limit.maxWaitNanos(ms(99));
        assertThat(fresh).as("a queue that was empty just now lets a waiter wait %s (expected 100 ms, the"
                + " interval).%nHint: a burst into an idle server is not overload: until the queue has stood for the"
                + " interval, let waiters wait the interval, not the target", shown(fresh)).isEqualTo(ms(100));
        assertThat(young).as("a queue standing for 99 ms lets a waiter wait %s (expected 100 ms)", shown(young))
                .isEqualTo(ms(100));
    }

    @Test
    @DisplayName("adaptive LIFO: the newest first while the queue stands, the oldest otherwise")
    void adaptiveLifo_servesTheNewestFirst_onlyWhileTheQueueStands() {
        WaitLimit limit = limit();
        boolean standing = limit.newestFirst(ms(150));
        boolean fresh = limit.newestFirst(ms(10));
        assertThat(standing).as("a queue standing for 150 ms serves the oldest first (expected the newest).%nHint:"
                + " while the queue stands, the oldest waiters are the likeliest to have lost their caller: serve"
                + " the newest first (adaptive LIFO)").isTrue();
        assertThat(fresh).as("a queue standing for 10 ms serves the newest first (expected the oldest: arrival order"
                + " while there is no standing queue)").isFalse();
    }

    @Test
    @DisplayName("settings: the target and the interval come from the constructor")
    void theDurations_comeFromTheSettings() {
        WaitLimit limit = WaitLimit.factory(System.getProperty(IMPLEMENTATION, MyWaitLimit.class.getName()))
                .create(Duration.ofMillis(20), Duration.ofMillis(400));
        long standing = limit.maxWaitNanos(ms(500));
        long fresh = limit.maxWaitNanos(ms(300));
        assertThat(standing).as("with a 20 ms target and a 400 ms interval, a queue standing for 500 ms lets a waiter"
                + " wait %s (expected 20 ms).%nHint: use the target and interval given to the constructor (the lab"
                + " sets them live: chain.queue.codel-target, codel-interval)", shown(standing)).isEqualTo(ms(20));
        assertThat(fresh).as("... and one standing for 300 ms, %s (expected 400 ms)", shown(fresh)).isEqualTo(ms(400));
    }
}
