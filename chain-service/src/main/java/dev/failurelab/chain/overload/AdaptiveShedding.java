package dev.failurelab.chain.overload;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Load shedding at the bottom ({@code /admin/load-shedding}): an adaptive concurrency limit from
 * Netflix concurrency-limits ({@link Gradient2Limit} behind a {@link SimpleLimiter}). While on, a
 * request past the limit is refused at once (503, reason {@code adaptive_limit}) instead of joining
 * the queue; the limit follows the gradient of the latency against its long-term average, so
 * it shrinks as soon as requests start to wait, and grows back when they stop.
 *
 * <p>Concurrency: thread-safe (the library's limiter is).
 */
public final class AdaptiveShedding extends OnOffDefence {

    private final SimpleLimiter<Void> limiter;
    private final Gradient2Limit limit;

    /**
     * @param initialLimit   the limit to start from
     * @param maxConcurrency the limit's ceiling
     */
    public AdaptiveShedding(String mode, int initialLimit, int maxConcurrency, MeterRegistry registry) {
        super(Defences.LOAD_SHEDDING, mode, "chain.shedding.mode");
        this.limit = Gradient2Limit.newBuilder()
                .initialLimit(initialLimit)
                .minLimit(1)
                .maxConcurrency(maxConcurrency)
                .build();
        this.limiter = SimpleLimiter.newBuilder().limit(limit).build();
        Gauge.builder(ChainMetricNames.SHEDDING_LIMIT, this, s -> s.limit.getLimit())
                .description("The adaptive concurrency limit now (load shedding)").register(registry);
    }

    /**
     * Asks to serve one request: empty if it is off (serve as usual) or if the request must be shed
     * ({@code shed} is then true).
     */
    public Admission admit() {
        if (!on()) {
            return new Admission(Optional.empty(), false);
        }
        Optional<Limiter.Listener> listener = limiter.acquire(null);
        return new Admission(listener, listener.isEmpty());
    }

    /**
     * @param listener tell it how the request ended: {@code onSuccess} when served,
     *                 {@code onDropped} when refused downstream of the limit, {@code onIgnore} otherwise
     * @param shed     whether the request must be refused now
     */
    public record Admission(Optional<Limiter.Listener> listener, boolean shed) {
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("limit", limit.getLimit());
        view.put("inflight", limiter.getInflight());
        return view;
    }
}
