package dev.failurelab.chain.capacity;

import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The bottom's work: each request holds a service slot for {@code serviceTime}, within the
 * {@link CapacityLimiter}'s bounds, and keeps working even when its caller has given up — as a
 * real server does, which is what lets timed-out retries pile onto an overloaded bottom.
 *
 * <p>Concurrency: thread-safe.
 */
public final class BoundedWorker {

    private final CapacityLimiter limiter;
    private final long serviceNanos;
    private final Map<CapacityLimiter.Rejection, Counter> rejections =
            new EnumMap<>(CapacityLimiter.Rejection.class);

    public BoundedWorker(CapacityLimiter limiter, Duration serviceTime, MeterRegistry registry) {
        this.limiter = limiter;
        this.serviceNanos = serviceTime.toNanos();
        Gauge.builder(ChainMetricNames.CAPACITY_IN_FLIGHT, limiter, CapacityLimiter::inFlight)
                .description("Requests in service now").register(registry);
        Gauge.builder(ChainMetricNames.CAPACITY_QUEUE_DEPTH, limiter, CapacityLimiter::queueDepth)
                .description("Requests waiting for a service slot now").register(registry);
        Gauge.builder(ChainMetricNames.CAPACITY_LIMIT, limiter, CapacityLimiter::maxConcurrency)
                .description("Configured concurrency limit").register(registry);
        Gauge.builder(ChainMetricNames.CAPACITY_QUEUE_LIMIT, limiter, CapacityLimiter::queueCapacity)
                .description("Configured queue bound").register(registry);
        for (CapacityLimiter.Rejection rejection : CapacityLimiter.Rejection.values()) {
            rejections.put(rejection, Counter.builder(ChainMetricNames.CAPACITY_REJECTIONS)
                    .description("Requests shed by the capacity limiter")
                    .tag(ChainMetricNames.REASON, rejection.tag())
                    .register(registry));
        }
    }

    /**
     * Does one request's work.
     *
     * @return empty when the work was done, or why it was refused
     */
    public Optional<CapacityLimiter.Rejection> serve() throws InterruptedException {
        return serve(java.util.OptionalLong.empty());
    }

    /**
     * Does one request's work, unless its caller's deadline (epoch milliseconds) passes before the
     * work can start: then it is refused ({@link CapacityLimiter.Rejection#DEADLINE_EXCEEDED}),
     * as nobody waits for the answer any more.
     */
    public Optional<CapacityLimiter.Rejection> serve(java.util.OptionalLong deadline) throws InterruptedException {
        if (deadline.isPresent() && System.currentTimeMillis() >= deadline.getAsLong()) {
            return rejected(CapacityLimiter.Rejection.DEADLINE_EXCEEDED);
        }
        CapacityLimiter.Result result = limiter.acquire();
        if (!result.isGranted()) {
            return rejected(result.rejection().orElseThrow());
        }
        try (CapacityLimiter.Permit permit = result.permit().orElseThrow()) {
            if (deadline.isPresent() && System.currentTimeMillis() >= deadline.getAsLong()) {
                return rejected(CapacityLimiter.Rejection.DEADLINE_EXCEEDED); // it expired in the queue
            }
            work();
        }
        return Optional.empty();
    }

    private Optional<CapacityLimiter.Rejection> rejected(CapacityLimiter.Rejection rejection) {
        rejections.get(rejection).increment();
        return Optional.of(rejection);
    }

    private void work() throws InterruptedException {
        long deadline = System.nanoTime() + serviceNanos;
        for (long left = serviceNanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while serving");
            }
        }
    }
}
