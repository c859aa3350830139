package dev.failurelab.chain.capacity;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.LifoBlockingLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.failurelab.chain.overload.AdaptiveShedding;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The queue discipline Netflix concurrency-limits provides, {@code adaptive-limit}, in front of the
 * bottom's queue: a {@link SimpleLimiter} with a {@link Gradient2Limit}, behind a
 * {@link LifoBlockingLimiter}: past the limit a request waits in the library's LIFO backlog (its
 * defaults: 100 places; here each waits no longer than what is left of its deadline less its
 * service time, 1 s without one).
 *
 * <p>Concurrency: thread-safe (the library's limiters are).
 */
final class ConcurrencyLimits {

    /** The library's default backlog wait, for a request with no deadline. */
    private static final long BACKLOG_TIMEOUT_MS = 1_000;

    private final Limiter<CapacityLimiter.Ticket> adaptive;

    ConcurrencyLimits(int initialLimit, int maxLimit, MeterRegistry registry) {
        Gradient2Limit adaptiveLimit = Gradient2Limit.newBuilder().initialLimit(initialLimit).minLimit(1)
                .maxConcurrency(maxLimit).build();
        SimpleLimiter<CapacityLimiter.Ticket> simple = SimpleLimiter.newBuilder().limit(adaptiveLimit).build();
        this.adaptive = LifoBlockingLimiter.<CapacityLimiter.Ticket>newBuilder(simple)
                .backlogTimeout(ConcurrencyLimits::backlogTimeoutMillis, TimeUnit.MILLISECONDS)
                .build();
        Gauge.builder(ChainMetricNames.QUEUE_ADAPTIVE_LIMIT, adaptiveLimit, Gradient2Limit::getLimit)
                .description("The library's adaptive concurrency limit now (the adaptive-limit discipline)")
                .tag(ChainMetricNames.DISCIPLINE, QueueDiscipline.ADAPTIVE_LIMIT.option())
                .register(registry);
    }

    private static Long backlogTimeoutMillis(CapacityLimiter.Ticket ticket) {
        if (ticket.deadline().isEmpty()) {
            return BACKLOG_TIMEOUT_MS;
        }
        long left = ticket.deadline().getAsLong() - System.currentTimeMillis()
                - TimeUnit.NANOSECONDS.toMillis(ticket.expectedServiceNanos());
        return Math.max(0, left);
    }

    /**
     * Asks the library's limiter for a request under {@code adaptive-limit}: a listener to tell how
     * it ended, or a refusal; under any other discipline, nothing (go straight to the queue).
     */
    AdaptiveShedding.Admission admit(QueueDiscipline discipline, CapacityLimiter.Ticket ticket) {
        if (discipline != QueueDiscipline.ADAPTIVE_LIMIT) {
            return new AdaptiveShedding.Admission(Optional.empty(), false);
        }
        Optional<Limiter.Listener> listener = adaptive.acquire(ticket);
        return new AdaptiveShedding.Admission(listener, listener.isEmpty());
    }
}
