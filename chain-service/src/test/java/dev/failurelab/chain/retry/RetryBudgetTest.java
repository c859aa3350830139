package dev.failurelab.chain.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

    private RetryBudget budget(double ratio, double reservePerSecond) {
        return new RetryBudget(ratio, reservePerSecond, Duration.ofSeconds(10), nanos::get);
    }

    private int retriesAllowed(RetryBudget budget, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            allowed += budget.tryAcquireRetry() ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void tryAcquireRetry_allowsTheRatioOfRecentRequests() {
        RetryBudget budget = budget(0.1, 0);
        for (int i = 0; i < 1000; i++) {
            budget.onRequest();
        }
        assertThat(retriesAllowed(budget, 500)).as("retries for 1000 requests at 10%").isEqualTo(100);
    }

    @Test
    void tryAcquireRetry_honoursTheReserve_withNoTraffic() {
        RetryBudget budget = budget(0.1, 1);
        assertThat(retriesAllowed(budget, 50)).as("1/s reserve over a 10 s window").isEqualTo(10);
    }

    @Test
    void tryAcquireRetry_deniesEverythingOnceExhausted() {
        RetryBudget budget = budget(0.5, 0);
        budget.onRequest();
        budget.onRequest();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).as("exhausted").isFalse();
        assertThat(budget.tokens()).isZero();
    }

    @Test
    void budget_recovers_asNewRequestsArrive_andOldRetriesLeaveTheWindow() {
        RetryBudget budget = budget(0.1, 0);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        assertThat(retriesAllowed(budget, 100)).isEqualTo(10);
        assertThat(budget.tryAcquireRetry()).isFalse();

        for (int i = 0; i < 50; i++) {
            budget.onRequest();
        }
        assertThat(retriesAllowed(budget, 100)).as("new requests earn new retries").isEqualTo(5);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(11));
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        assertThat(retriesAllowed(budget, 100)).as("a fresh window: old retries no longer count").isEqualTo(10);
    }

    @Test
    void window_slides_requestsOlderThanTheWindowStopEarning() {
        RetryBudget budget = budget(0.1, 0);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(budget.tokens()).as("still inside the window").isEqualTo(10.0);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertThat(budget.tokens()).as("out of the window").isZero();
    }

    @Test
    void underConcurrentUse_retriesNeverExceedTheBudget() throws Exception {
        RetryBudget budget = budget(0.1, 0);
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

        assertThat(allowed).as("retries allowed for 80,000 requests at 10%").isBetween(7_999, 8_000);
    }

    @Test
    void constructor_rejectsBadConfiguration_namingTheParameter() {
        assertThatThrownBy(() -> new RetryBudget(1.5, 0, Duration.ofSeconds(10), System::nanoTime))
                .hasMessageContaining("ratio");
        assertThatThrownBy(() -> new RetryBudget(0.1, -1, Duration.ofSeconds(10), System::nanoTime))
                .hasMessageContaining("minRetriesPerSecond");
        assertThatThrownBy(() -> new RetryBudget(0.1, 0, Duration.ofMillis(1), System::nanoTime))
                .hasMessageContaining("window");
    }
}
