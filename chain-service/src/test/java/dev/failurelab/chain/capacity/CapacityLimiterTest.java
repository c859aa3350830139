package dev.failurelab.chain.capacity;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CapacityLimiterTest {

    @Test
    void acquire_grantsUpToTheConcurrencyLimit_thenQueues_thenRefusesAQueueFull() throws Exception {
        CapacityLimiter limiter = new CapacityLimiter(2, 1, Duration.ofSeconds(10));
        CapacityLimiter.Result first = limiter.acquire();
        CapacityLimiter.Result second = limiter.acquire();
        assertThat(first.isGranted()).isTrue();
        assertThat(second.isGranted()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(2);

        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<CapacityLimiter.Result> queued = executor.submit(() -> limiter.acquire());
        awaitQueueDepth(limiter, 1);

        CapacityLimiter.Result refused = limiter.acquire();
        assertThat(refused.rejection()).as("a third waiter finds the queue of 1 full")
                .contains(CapacityLimiter.Rejection.QUEUE_FULL);

        first.permit().orElseThrow().close();
        assertThat(queued.get(5, TimeUnit.SECONDS).isGranted()).as("the queued request gets the freed slot").isTrue();
        assertThat(limiter.queueDepth()).isZero();
        executor.shutdownNow();
    }

    @Test
    void acquire_givesUpAfterTheQueueTimeout() throws Exception {
        CapacityLimiter limiter = new CapacityLimiter(1, 5, Duration.ofMillis(50));
        assertThat(limiter.acquire().isGranted()).isTrue();

        CapacityLimiter.Result waited = limiter.acquire();

        assertThat(waited.rejection()).contains(CapacityLimiter.Rejection.QUEUE_TIMEOUT);
        assertThat(limiter.queueDepth()).as("a timed-out waiter leaves the queue").isZero();
    }

    @Test
    void permit_releasedTwice_freesOneSlotOnly() throws Exception {
        CapacityLimiter limiter = new CapacityLimiter(1, 0, Duration.ZERO);
        CapacityLimiter.Permit permit = limiter.acquire().permit().orElseThrow();
        permit.close();
        permit.close();
        assertThat(limiter.acquire().isGranted()).isTrue();
        assertThat(limiter.acquire().rejection()).contains(CapacityLimiter.Rejection.QUEUE_FULL);
    }

    @Test
    void acquire_underContention_neverExceedsTheLimits() throws Exception {
        CapacityLimiter limiter = new CapacityLimiter(3, 4, Duration.ofMillis(20));
        AtomicInteger inService = new AtomicInteger();
        AtomicInteger maxInService = new AtomicInteger();
        AtomicInteger maxQueue = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            results.add(executor.submit(() -> {
                start.await();
                maxQueue.accumulateAndGet(limiter.queueDepth(), Math::max);
                CapacityLimiter.Result result = limiter.acquire();
                if (!result.isGranted()) {
                    return false;
                }
                try (CapacityLimiter.Permit permit = result.permit().orElseThrow()) {
                    maxInService.accumulateAndGet(inService.incrementAndGet(), Math::max);
                    Thread.sleep(1);
                    inService.decrementAndGet();
                }
                return true;
            }));
        }
        start.countDown();
        int granted = 0;
        for (Future<Boolean> result : results) {
            granted += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        executor.shutdownNow();

        assertThat(maxInService.get()).as("requests in service at once").isLessThanOrEqualTo(3);
        assertThat(maxQueue.get()).as("requests waiting at once").isLessThanOrEqualTo(4);
        assertThat(granted).as("some requests were served").isPositive();
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.queueDepth()).isZero();
    }

    @Test
    void constructor_rejectsBadLimits_namingTheParameter() {
        assertThatThrownBy(() -> new CapacityLimiter(0, 1, Duration.ZERO)).hasMessageContaining("maxConcurrency");
        assertThatThrownBy(() -> new CapacityLimiter(1, -1, Duration.ZERO)).hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> new CapacityLimiter(1, 1, Duration.ofMillis(-1))).hasMessageContaining("queueTimeout");
    }

    private static void awaitQueueDepth(CapacityLimiter limiter, int depth) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limiter.queueDepth() != depth && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(limiter.queueDepth()).isEqualTo(depth);
    }
}
