package dev.failurelab.chain.capacity;

import com.netflix.concurrency.limits.Limiter;
import dev.failurelab.chain.LatencyTimers;
import dev.failurelab.chain.overload.AdaptiveShedding;
import dev.failurelab.chain.settings.Setting;
import dev.failurelab.chain.settings.SettingsGroup;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Priority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;

/**
 * The bottom's work: each request holds a service slot for {@code serviceTime}, within the
 * {@link CapacityLimiter}'s bounds and its {@link QueueDiscipline}, and keeps working even when its
 * caller has given up (unless the discipline reads deadlines) — as a real server does, which is
 * what lets timed-out retries pile onto an overloaded bottom. It meters the queue: sojourn, sheds by
 * reason and priority, and served work by whether it made its caller's deadline.
 *
 * <p>Concurrency: thread-safe.
 */
public final class BoundedWorker implements SettingsGroup {

    static final String MAX_CONCURRENCY = "chain.capacity.max-concurrency";
    static final String QUEUE_CAPACITY = "chain.capacity.queue-capacity";
    static final String QUEUE_TIMEOUT = "chain.capacity.queue-timeout";
    static final String SERVICE_TIME = "chain.capacity.service-time";
    static final String CODEL_TARGET = "chain.queue.codel-target";
    static final String CODEL_INTERVAL = "chain.queue.codel-interval";

    private final AtomicReference<CapacityLimiter> limiter;
    private volatile long serviceNanos;
    /** Limiters replaced by a reconfiguration, until their last request ends. */
    private final List<CapacityLimiter> retired = new CopyOnWriteArrayList<>();
    private final Map<CapacityLimiter.Rejection, Map<Priority, Counter>> rejections =
            new EnumMap<>(CapacityLimiter.Rejection.class);
    private final Map<Priority, Timer> served = new EnumMap<>(Priority.class);
    private final Map<Priority, Timer> shed = new EnumMap<>(Priority.class);
    private final Map<Priority, Map<String, Counter>> completed = new EnumMap<>(Priority.class);

    private final CapacityCut cut;
    private final QueueDisciplineDefence discipline;
    private final ConcurrencyLimits limits;

    /**
     * @param cut          the share of the capacity a lab's trigger takes away, stretching the service time
     * @param discipline   the queue discipline in force (switched live)
     * @param initialLimit the library disciplines' adaptive limit to start from
     * @param maxLimit     their limit's ceiling
     */
    public BoundedWorker(int maxConcurrency, int queueCapacity, Duration queueTimeout, Duration serviceTime,
            CapacityCut cut, QueueDisciplineDefence discipline, int initialLimit, int maxLimit,
            MeterRegistry registry) {
        this.discipline = discipline;
        this.limiter = new AtomicReference<>(limiter(maxConcurrency, queueCapacity, queueTimeout));
        this.cut = cut;
        this.serviceNanos = serviceTime.toNanos();
        this.limits = new ConcurrencyLimits(initialLimit, maxLimit, registry);
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
            Map<Priority, Counter> byPriority = new EnumMap<>(Priority.class);
            for (Priority priority : Priority.values()) {
                byPriority.put(priority, Counter.builder(ChainMetricNames.CAPACITY_REJECTIONS)
                        .description("Requests shed by the capacity limiter")
                        .tag(ChainMetricNames.REASON, rejection.tag())
                        .tag(ChainMetricNames.PRIORITY, priority.tag())
                        .register(registry));
            }
            rejections.put(rejection, byPriority);
        }
        for (Priority priority : Priority.values()) {
            served.put(priority, sojourn(registry, priority, "served"));
            shed.put(priority, sojourn(registry, priority, "shed"));
            Map<String, Counter> byDeadline = new java.util.HashMap<>();
            for (String deadline : List.of("met", "missed", "none")) {
                byDeadline.put(deadline, Counter.builder(ChainMetricNames.QUEUE_COMPLETED)
                        .description("Requests served, by whether they made their caller's deadline (missed: wasted work)")
                        .tag(ChainMetricNames.DEADLINE, deadline)
                        .tag(ChainMetricNames.PRIORITY, priority.tag())
                        .register(registry));
            }
            completed.put(priority, byDeadline);
        }
    }

    private static Timer sojourn(MeterRegistry registry, Priority priority, String outcome) {
        return LatencyTimers.builder(ChainMetricNames.QUEUE_SOJOURN, "Time spent waiting for a service slot")
                .tag(ChainMetricNames.PRIORITY, priority.tag())
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry);
    }

    private CapacityLimiter limiter(int maxConcurrency, int queueCapacity, Duration queueTimeout) {
        return new CapacityLimiter(maxConcurrency, queueCapacity, queueTimeout, discipline::policy);
    }

    /** Does one plain request's work (live, no deadline). */
    public Optional<CapacityLimiter.Rejection> serve() throws InterruptedException {
        return serve(Priority.LIVE, OptionalLong.empty());
    }

    /**
     * Does one request's work, as the queue discipline in force lets it: it may be refused before
     * it waits (a full queue, a deadline too short, an adaptive limit) or while it waits (a
     * timeout, CoDel, a deadline that passed).
     *
     * @param deadline the caller's deadline (epoch milliseconds), if it sent one
     * @return empty when the work was done, or why it was refused
     */
    public Optional<CapacityLimiter.Rejection> serve(Priority priority, OptionalLong deadline)
            throws InterruptedException {
        long arrived = System.nanoTime();
        long service = cut.stretch(serviceNanos);
        CapacityLimiter.Ticket ticket = new CapacityLimiter.Ticket(priority, deadline, service);
        AdaptiveShedding.Admission admission = limits.admit(discipline.policy().discipline(), ticket);
        if (admission.shed()) {
            shed.get(priority).record(System.nanoTime() - arrived, TimeUnit.NANOSECONDS);
            return rejected(CapacityLimiter.Rejection.ADAPTIVE_LIMIT, priority);
        }
        Optional<Limiter.Listener> listener = admission.listener();
        try {
            CapacityLimiter.Result result = limiter.get().acquire(ticket);
            long waited = System.nanoTime() - arrived;
            if (!result.isGranted()) {
                shed.get(priority).record(waited, TimeUnit.NANOSECONDS);
                listener.ifPresent(Limiter.Listener::onDropped);
                return rejected(result.rejection().orElseThrow(), priority);
            }
            served.get(priority).record(waited, TimeUnit.NANOSECONDS);
            try (CapacityLimiter.Permit permit = result.permit().orElseThrow()) {
                work(service);
            }
        } catch (InterruptedException | RuntimeException e) {
            listener.ifPresent(Limiter.Listener::onIgnore);
            throw e;
        }
        listener.ifPresent(Limiter.Listener::onSuccess);
        String made = deadline.isEmpty() ? "none" : System.currentTimeMillis() <= deadline.getAsLong() ? "met" : "missed";
        completed.get(priority).get(made).increment();
        return Optional.empty();
    }

    /** Counts a request refused before it reached the limiter (load shedding's adaptive limit). */
    public Optional<CapacityLimiter.Rejection> shed(Priority priority) {
        return rejected(CapacityLimiter.Rejection.ADAPTIVE_LIMIT, priority);
    }

    @Override
    public List<Setting> settings() {
        return List.of(Setting.whole(MAX_CONCURRENCY, 1, 10_000), Setting.whole(QUEUE_CAPACITY, 0, 100_000),
                Setting.duration(QUEUE_TIMEOUT, Duration.ZERO, Duration.ofMinutes(5)),
                Setting.duration(SERVICE_TIME, Duration.ZERO, Duration.ofMinutes(1)),
                Setting.duration(CODEL_TARGET, Duration.ofMillis(1), Duration.ofSeconds(10)),
                Setting.duration(CODEL_INTERVAL, Duration.ofMillis(1), Duration.ofSeconds(60)));
    }

    @Override
    public Map<String, Object> current() {
        CapacityLimiter current = limiter.get();
        CapacityLimiter.Policy policy = discipline.policy();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(MAX_CONCURRENCY, current.maxConcurrency());
        values.put(QUEUE_CAPACITY, current.queueCapacity());
        values.put(QUEUE_TIMEOUT, current.queueTimeout());
        values.put(SERVICE_TIME, Duration.ofNanos(serviceNanos));
        values.put(CODEL_TARGET, policy.codelTarget());
        values.put(CODEL_INTERVAL, policy.codelInterval());
        return values;
    }

    /**
     * New requests take the new bounds (a new limiter); requests already queued or in service end
     * under the old one, so the slots of the two add up for as long as those take. CoDel's
     * durations apply at once, to the waiting requests too.
     */
    @Override
    public void apply(Map<String, Object> next) {
        CapacityLimiter current = limiter.get();
        int concurrency = (Integer) next.get(MAX_CONCURRENCY);
        int queue = (Integer) next.get(QUEUE_CAPACITY);
        Duration timeout = (Duration) next.get(QUEUE_TIMEOUT);
        if (concurrency != current.maxConcurrency() || queue != current.queueCapacity()
                || !timeout.equals(current.queueTimeout())) {
            retired.add(limiter.getAndSet(limiter(concurrency, queue, timeout)));
        }
        serviceNanos = ((Duration) next.get(SERVICE_TIME)).toNanos();
        discipline.codel((Duration) next.get(CODEL_TARGET), (Duration) next.get(CODEL_INTERVAL));
    }

    private int sum(ToIntFunction<CapacityLimiter> figure) {
        retired.removeIf(old -> old.inFlight() == 0 && old.queueDepth() == 0);
        int total = figure.applyAsInt(limiter.get());
        for (CapacityLimiter old : retired) {
            total += figure.applyAsInt(old);
        }
        return total;
    }

    private Optional<CapacityLimiter.Rejection> rejected(CapacityLimiter.Rejection rejection, Priority priority) {
        rejections.get(rejection).get(priority).increment();
        return Optional.of(rejection);
    }

    private void work(long service) throws InterruptedException {
        long deadline = System.nanoTime() + service;
        for (long left = service; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while serving");
            }
        }
    }
}
