package dev.failurelab.chain.capacity;

import dev.failurelab.chain.settings.Setting;
import dev.failurelab.chain.settings.SettingsGroup;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;

/**
 * The bottom's work: each request holds a service slot for {@code serviceTime}, within the
 * {@link CapacityLimiter}'s bounds, and keeps working even when its caller has given up — as a
 * real server does, which is what lets timed-out retries pile onto an overloaded bottom.
 *
 * <p>Concurrency: thread-safe.
 */
public final class BoundedWorker implements SettingsGroup {

    static final String MAX_CONCURRENCY = "chain.capacity.max-concurrency";
    static final String QUEUE_CAPACITY = "chain.capacity.queue-capacity";
    static final String QUEUE_TIMEOUT = "chain.capacity.queue-timeout";
    static final String SERVICE_TIME = "chain.capacity.service-time";

    private final AtomicReference<CapacityLimiter> limiter;
    private volatile long serviceNanos;
    /** Limiters replaced by a reconfiguration, until their last request ends. */
    private final List<CapacityLimiter> retired = new CopyOnWriteArrayList<>();
    private final Map<CapacityLimiter.Rejection, Counter> rejections =
            new EnumMap<>(CapacityLimiter.Rejection.class);

    private final CapacityCut cut;

    public BoundedWorker(CapacityLimiter limiter, Duration serviceTime, MeterRegistry registry) {
        this(limiter, serviceTime, new CapacityCut(System::nanoTime, registry), registry);
    }

    /** @param cut the share of the capacity a lab's trigger takes away, stretching the service time */
    public BoundedWorker(CapacityLimiter limiter, Duration serviceTime, CapacityCut cut, MeterRegistry registry) {
        this.limiter = new AtomicReference<>(limiter);
        this.cut = cut;
        this.serviceNanos = serviceTime.toNanos();
        // In flight and queued count the limiters a reconfiguration replaced until their requests end.
        Gauge.builder(ChainMetricNames.CAPACITY_IN_FLIGHT, this, w -> w.sum(CapacityLimiter::inFlight))
                .description("Requests in service now").register(registry);
        Gauge.builder(ChainMetricNames.CAPACITY_QUEUE_DEPTH, this, w -> w.sum(CapacityLimiter::queueDepth))
                .description("Requests waiting for a service slot now").register(registry);
        Gauge.builder(ChainMetricNames.CAPACITY_LIMIT, this, w -> w.limiter.get().maxConcurrency())
                .description("Configured concurrency limit").register(registry);
        Gauge.builder(ChainMetricNames.CAPACITY_QUEUE_LIMIT, this, w -> w.limiter.get().queueCapacity())
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
        CapacityLimiter.Result result = limiter.get().acquire();
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

    /** Counts a request refused before it reached the limiter (load shedding's adaptive limit). */
    public Optional<CapacityLimiter.Rejection> shed() {
        return rejected(CapacityLimiter.Rejection.ADAPTIVE_LIMIT);
    }

    @Override
    public List<Setting> settings() {
        return List.of(Setting.whole(MAX_CONCURRENCY, 1, 10_000), Setting.whole(QUEUE_CAPACITY, 0, 100_000),
                Setting.duration(QUEUE_TIMEOUT, Duration.ZERO, Duration.ofMinutes(5)),
                Setting.duration(SERVICE_TIME, Duration.ZERO, Duration.ofMinutes(1)));
    }

    @Override
    public Map<String, Object> current() {
        CapacityLimiter current = limiter.get();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(MAX_CONCURRENCY, current.maxConcurrency());
        values.put(QUEUE_CAPACITY, current.queueCapacity());
        values.put(QUEUE_TIMEOUT, current.queueTimeout());
        values.put(SERVICE_TIME, Duration.ofNanos(serviceNanos));
        return values;
    }

    /**
     * New requests take the new bounds (a new limiter); requests already queued or in service end
     * under the old one, so the slots of the two add up for as long as those take.
     */
    @Override
    public void apply(Map<String, Object> next) {
        CapacityLimiter current = limiter.get();
        int concurrency = (Integer) next.get(MAX_CONCURRENCY);
        int queue = (Integer) next.get(QUEUE_CAPACITY);
        Duration timeout = (Duration) next.get(QUEUE_TIMEOUT);
        if (concurrency != current.maxConcurrency() || queue != current.queueCapacity()
                || !timeout.equals(current.queueTimeout())) {
            retired.add(limiter.getAndSet(new CapacityLimiter(concurrency, queue, timeout)));
        }
        serviceNanos = ((Duration) next.get(SERVICE_TIME)).toNanos();
    }

    private int sum(ToIntFunction<CapacityLimiter> figure) {
        retired.removeIf(old -> old.inFlight() == 0 && old.queueDepth() == 0);
        int total = figure.applyAsInt(limiter.get());
        for (CapacityLimiter old : retired) {
            total += figure.applyAsInt(old);
        }
        return total;
    }

    private Optional<CapacityLimiter.Rejection> rejected(CapacityLimiter.Rejection rejection) {
        rejections.get(rejection).increment();
        return Optional.of(rejection);
    }

    private void work() throws InterruptedException {
        long service = cut.stretch(serviceNanos);
        long deadline = System.nanoTime() + service;
        for (long left = service; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while serving");
            }
        }
    }
}
