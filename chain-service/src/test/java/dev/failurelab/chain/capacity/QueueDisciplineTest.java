package dev.failurelab.chain.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each queue discipline's rule, on a limiter of one slot held by the test. */
class QueueDisciplineTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicReference<CapacityLimiter.Policy> policy = new AtomicReference<>(CapacityLimiter.Policy.FIFO);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private CapacityLimiter limiter(int queue, Duration timeout) {
        return new CapacityLimiter(1, queue, timeout, policy::get);
    }

    private void use(QueueDiscipline discipline, Duration target, Duration interval) {
        policy.set(new CapacityLimiter.Policy(discipline, target, interval));
    }

    private static CapacityLimiter.Ticket deadlineIn(long millis, long serviceMillis) {
        return new CapacityLimiter.Ticket(Priority.LIVE, OptionalLong.of(System.currentTimeMillis() + millis),
                TimeUnit.MILLISECONDS.toNanos(serviceMillis));
    }

    @Test
    void unboundedFifo_queuesPastTheCapacity_neverTimesOut_andIgnoresDeadlines() throws Exception {
        use(QueueDiscipline.UNBOUNDED_FIFO, Duration.ofMillis(5), Duration.ofMillis(100));
        CapacityLimiter limiter = limiter(2, Duration.ofMillis(20));
        CapacityLimiter.Permit held = limiter.acquire().permit().orElseThrow();
        Future<CapacityLimiter.Result> expired = executor.submit(() -> limiter.acquire(deadlineIn(-1_000, 10)));
        awaitDepth(limiter, 1);
        List<Future<CapacityLimiter.Result>> waiters = queue(limiter, 5);
        Thread.sleep(100); // five times the queue timeout
        assertThat(limiter.queueDepth()).as("6 waiting past a capacity of 2, past the timeout").isEqualTo(6);
        held.close();
        assertThat(expired.get(5, TimeUnit.SECONDS).isGranted()).as("work for a caller long gone, served").isTrue();
        expired.get().permit().orElseThrow().close();
        for (Future<CapacityLimiter.Result> waiter : waiters) {
            CapacityLimiter.Result result = waiter.get(5, TimeUnit.SECONDS);
            assertThat(result.isGranted()).isTrue();
            assertThat(result.sojournNanos()).as("waited from arrival").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
            result.permit().orElseThrow().close();
        }
    }

    @Test
    void fifo_dropsWorkWhoseDeadlinePassedInTheQueue_andServesInArrivalOrder() throws Exception {
        CapacityLimiter limiter = limiter(10, Duration.ofSeconds(10));
        assertThat(limiter.acquire(deadlineIn(-1, 0)).rejection()).as("already past at arrival")
                .contains(CapacityLimiter.Rejection.DEADLINE_EXCEEDED);
        CapacityLimiter.Permit held = limiter.acquire().permit().orElseThrow();
        Future<CapacityLimiter.Result> shortLived = executor.submit(() -> limiter.acquire(deadlineIn(30, 0)));
        awaitDepth(limiter, 1);
        List<Future<CapacityLimiter.Result>> waiters = queue(limiter, 3);
        Thread.sleep(60);
        held.close();
        assertThat(shortLived.get(5, TimeUnit.SECONDS).rejection()).as("its deadline passed while it waited")
                .contains(CapacityLimiter.Rejection.DEADLINE_EXCEEDED);
        for (int i = 0; i < waiters.size(); i++) {
            CapacityLimiter.Result first = waiters.get(i).get(5, TimeUnit.SECONDS);
            for (int j = i + 1; j < waiters.size(); j++) {
                assertThat(waiters.get(j).isDone()).as("waiter " + j + " is not served before waiter " + i).isFalse();
            }
            first.permit().orElseThrow().close();
        }
    }

    @Test
    void codel_letsABurstWaitTheInterval_butShedsPastTheTarget_onceTheQueueHasStoodForAnInterval() throws Exception {
        use(QueueDiscipline.CODEL, Duration.ofMillis(20), Duration.ofMillis(200));
        CapacityLimiter limiter = limiter(1_000, Duration.ofSeconds(10));
        CapacityLimiter.Permit held = limiter.acquire().permit().orElseThrow();
        // An arrival every 10 ms for 600 ms, none served: the queue never empties once it has formed.
        List<Future<CapacityLimiter.Result>> arrivals = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            arrivals.add(executor.submit(() -> limiter.acquire()));
            Thread.sleep(10);
        }
        List<Long> sojournMs = new ArrayList<>();
        for (Future<CapacityLimiter.Result> arrival : arrivals) {
            CapacityLimiter.Result result = arrival.get(5, TimeUnit.SECONDS);
            assertThat(result.rejection()).contains(CapacityLimiter.Rejection.CODEL);
            sojournMs.add(TimeUnit.NANOSECONDS.toMillis(result.sojournNanos()));
        }
        assertThat(sojournMs.get(0)).as("the first of a burst waits the 200 ms interval").isGreaterThanOrEqualTo(190);
        assertThat(sojournMs.subList(40, 60)).as("once the queue has stood for an interval, a waiter is shed near"
                + " the 20 ms target (checked at least every 50 ms), far before the interval").allMatch(ms -> ms < 120);
        held.close();
        assertThat(limiter.queueDepth()).isZero();
    }

    @Test
    void adaptiveLifo_servesTheNewestFirst_whileTheQueueIsCongested_andInArrivalOrderOtherwise() throws Exception {
        use(QueueDiscipline.ADAPTIVE_LIFO, Duration.ofSeconds(5), Duration.ofMillis(100));
        CapacityLimiter limiter = limiter(100, Duration.ofSeconds(10));
        CapacityLimiter.Permit held = limiter.acquire().permit().orElseThrow();
        List<Future<CapacityLimiter.Result>> waiters = queue(limiter, 3);
        Thread.sleep(150); // congested: not empty for an interval
        held.close();
        CapacityLimiter.Result newest = waiters.get(2).get(5, TimeUnit.SECONDS);
        assertThat(waiters.get(0).isDone()).as("the oldest still waits").isFalse();
        newest.permit().orElseThrow().close();
        waiters.get(1).get(5, TimeUnit.SECONDS).permit().orElseThrow().close();
        waiters.get(0).get(5, TimeUnit.SECONDS).permit().orElseThrow().close();

        // Not congested (the queue was just empty): arrival order.
        CapacityLimiter.Permit again = limiter.acquire().permit().orElseThrow();
        List<Future<CapacityLimiter.Result>> calm = queue(limiter, 2);
        again.close();
        CapacityLimiter.Result oldest = calm.get(0).get(5, TimeUnit.SECONDS);
        assertThat(calm.get(1).isDone()).isFalse();
        oldest.permit().orElseThrow().close();
        calm.get(1).get(5, TimeUnit.SECONDS).permit().orElseThrow().close();
    }

    @Test
    void deadline_refusesWorkThatCannotFinishInTime_atArrivalAndInTheQueue() throws Exception {
        use(QueueDiscipline.DEADLINE, Duration.ofMillis(5), Duration.ofMillis(100));
        CapacityLimiter limiter = limiter(0, Duration.ZERO);
        assertThat(limiter.acquire(deadlineIn(30, 40)).rejection()).as("30 ms left for 40 ms of work")
                .contains(CapacityLimiter.Rejection.DEADLINE_TOO_SHORT);
        assertThat(limiter.acquire(deadlineIn(50, 40)).rejection()).as("50 ms left for 40 ms of work and the 20 ms"
                + " slack").contains(CapacityLimiter.Rejection.DEADLINE_TOO_SHORT);
        CapacityLimiter.Result fits = limiter.acquire(deadlineIn(500, 40));
        assertThat(fits.isGranted()).as("unbounded: a capacity of 0 does not refuse").isTrue();
        Future<CapacityLimiter.Result> waits = executor.submit(() -> limiter.acquire(deadlineIn(200, 40)));
        awaitDepth(limiter, 1);
        Thread.sleep(160); // at most 40 ms left: too short for 40 ms and the slack
        fits.permit().orElseThrow().close();
        assertThat(waits.get(5, TimeUnit.SECONDS).rejection()).contains(CapacityLimiter.Rejection.DEADLINE_TOO_SHORT);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void priority_servesLiveFirst_capsBatchAtItsShare_andALiveArrivalToAFullQueueShedsTheNewestBatch()
            throws Exception {
        use(QueueDiscipline.PRIORITY, Duration.ofMillis(5), Duration.ofMillis(100));
        CapacityLimiter limiter = limiter(10, Duration.ofSeconds(10));
        CapacityLimiter.Permit held = limiter.acquire().permit().orElseThrow();
        CapacityLimiter.Ticket batch = new CapacityLimiter.Ticket(Priority.BATCH, OptionalLong.empty(), 0);
        Future<CapacityLimiter.Result> oldBatch = executor.submit(() -> limiter.acquire(batch));
        awaitDepth(limiter, 1);
        assertThat(limiter.acquire(batch).rejection()).as("batch holds 10% of the 10 places: 1")
                .contains(CapacityLimiter.Rejection.QUEUE_FULL);
        List<Future<CapacityLimiter.Result>> live = queue(limiter, 9); // the queue is now full
        Future<CapacityLimiter.Result> lateLive = executor.submit(() -> limiter.acquire());
        assertThat(oldBatch.get(5, TimeUnit.SECONDS).rejection()).as("its place goes to a live arrival")
                .contains(CapacityLimiter.Rejection.QUEUE_FULL);
        awaitDepth(limiter, 10);
        held.close();
        for (Future<CapacityLimiter.Result> waiter : live) {
            CapacityLimiter.Result result = waiter.get(5, TimeUnit.SECONDS);
            assertThat(result.isGranted()).isTrue();
            result.permit().orElseThrow().close();
        }
        lateLive.get(5, TimeUnit.SECONDS).permit().orElseThrow().close();

        // Live before batch, whatever their order of arrival.
        CapacityLimiter.Permit again = limiter.acquire().permit().orElseThrow();
        Future<CapacityLimiter.Result> waitingBatch = executor.submit(() -> limiter.acquire(batch));
        awaitDepth(limiter, 1);
        List<Future<CapacityLimiter.Result>> laterLive = queue(limiter, 1);
        again.close();
        CapacityLimiter.Result first = laterLive.get(0).get(5, TimeUnit.SECONDS);
        assertThat(waitingBatch.isDone()).as("the batch waiter, older, still waits").isFalse();
        first.permit().orElseThrow().close();
        waitingBatch.get(5, TimeUnit.SECONDS).permit().orElseThrow().close();
    }

    @Test
    void aSwitch_appliesToTheRequestsAlreadyWaiting() throws Exception {
        CapacityLimiter limiter = limiter(100, Duration.ofSeconds(30));
        CapacityLimiter.Permit held = limiter.acquire().permit().orElseThrow();
        List<Future<CapacityLimiter.Result>> waiters = queue(limiter, 3);
        Thread.sleep(150);
        use(QueueDiscipline.CODEL, Duration.ofMillis(5), Duration.ofMillis(100));
        for (Future<CapacityLimiter.Result> waiter : waiters) {
            assertThat(waiter.get(2, TimeUnit.SECONDS).rejection()).as("shed by CoDel within its 50 ms recheck")
                    .contains(CapacityLimiter.Rejection.CODEL);
        }
        assertThat(limiter.queueDepth()).isZero();
        held.close();
        assertThat(limiter.inFlight()).isZero();
    }

    /** Queues {@code count} plain requests behind those waiting, each once the previous one waits. */
    private List<Future<CapacityLimiter.Result>> queue(CapacityLimiter limiter, int count) throws InterruptedException {
        int before = limiter.queueDepth();
        List<Future<CapacityLimiter.Result>> waiters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waiters.add(executor.submit(() -> limiter.acquire()));
            awaitDepth(limiter, before + i + 1);
        }
        return waiters;
    }

    private static void awaitDepth(CapacityLimiter limiter, int depth) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limiter.queueDepth() != depth && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(limiter.queueDepth()).isEqualTo(depth);
    }
}
