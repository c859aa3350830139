package dev.failurelab.chain.capacity;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.AbstractPartitionedLimiter;
import com.netflix.concurrency.limits.limiter.LifoBlockingLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.failurelab.chain.overload.AdaptiveShedding;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Priority;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The two queue disciplines Netflix concurrency-limits provides, each with a {@link Gradient2Limit}
 * of its own, in front of the bottom's queue:
 * <ul>
 *   <li>{@code adaptive-limit}: a {@link SimpleLimiter} behind a {@link LifoBlockingLimiter}: past
 *       the limit a request waits in the library's LIFO backlog (its defaults: 100 places; here each
 *       waits no longer than what is left of its deadline less its service time, 1 s without one);</li>
 *   <li>{@code priority}: a {@link SimpleLimiter} partitioned by {@link Priority}, live 90% and batch
 *       10% of the limit: once the limit is reached, a partition past its share is refused.</li>
 * </ul>
 *
 * <p>Concurrency: thread-safe (the library's limiters are).
 */
final class ConcurrencyLimits {

    /** The library's default backlog wait, for a request with no deadline. */
    private static final long BACKLOG_TIMEOUT_MS = 1_000;

    private final Limiter<CapacityLimiter.Ticket> adaptive;
    private final Limiter<CapacityLimiter.Ticket> partitioned;

    ConcurrencyLimits(int initialLimit, int maxLimit, MeterRegistry registry) {
        Gradient2Limit adaptiveLimit = gradient(initialLimit, maxLimit);
        SimpleLimiter<CapacityLimiter.Ticket> simple = SimpleLimiter.newBuilder().limit(adaptiveLimit).build();
        this.adaptive = LifoBlockingLimiter.<CapacityLimiter.Ticket>newBuilder(simple)
                .backlogTimeout(ConcurrencyLimits::backlogTimeoutMillis, TimeUnit.MILLISECONDS)
                .build();
        Gradient2Limit partitionedLimit = gradient(initialLimit, maxLimit);
        this.partitioned = new PartitionedBuilder()
                .limit(partitionedLimit)
                .partitionResolver(ticket -> ticket.priority().tag())
                .partition(Priority.LIVE.tag(), 0.9)
                .partition(Priority.BATCH.tag(), 0.1)
                .build();
        gauge(registry, QueueDiscipline.ADAPTIVE_LIMIT, adaptiveLimit);
        gauge(registry, QueueDiscipline.PRIORITY, partitionedLimit);
    }

    /**
     * The library's partitioned limiter for our own request type (the core ships only the servlet
     * and gRPC builders of it).
     */
    private static final class PartitionedBuilder
            extends AbstractPartitionedLimiter.Builder<PartitionedBuilder, CapacityLimiter.Ticket> {
        @Override
        protected PartitionedBuilder self() {
            return this;
        }
    }

    private static Gradient2Limit gradient(int initialLimit, int maxLimit) {
        return Gradient2Limit.newBuilder().initialLimit(initialLimit).minLimit(1).maxConcurrency(maxLimit).build();
    }

    private static void gauge(MeterRegistry registry, QueueDiscipline discipline, Gradient2Limit limit) {
        Gauge.builder(ChainMetricNames.QUEUE_ADAPTIVE_LIMIT, limit, Gradient2Limit::getLimit)
                .description("The library's adaptive concurrency limit now, per queue discipline")
                .tag(ChainMetricNames.DISCIPLINE, discipline.option())
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
     * Asks the discipline's limiter for a request: empty when the discipline has none (go straight
     * to the queue); a listener to tell how it ended; or a refusal.
     */
    AdaptiveShedding.Admission admit(QueueDiscipline discipline, CapacityLimiter.Ticket ticket) {
        Limiter<CapacityLimiter.Ticket> limiter = switch (discipline) {
            case ADAPTIVE_LIMIT -> adaptive;
            case PRIORITY -> partitioned;
            default -> null;
        };
        if (limiter == null) {
            return new AdaptiveShedding.Admission(Optional.empty(), false);
        }
        Optional<Limiter.Listener> listener = limiter.acquire(ticket);
        return new AdaptiveShedding.Admission(listener, listener.isEmpty());
    }
}
