package dev.failurelab.chain.overload;

import dev.failurelab.chain.ChainResponse;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The edge's graceful degradation ({@code /admin/degradation}): while on, a call the chain failed
 * is answered {@code 203 Non-Authoritative Information} (a success, not the full answer) with the
 * last good answer the edge saw (or, before any, a partial one: the edge
 * alone), marked {@code "degraded":true} with the reason, and the header {@value #HEADER}. The
 * caller gets something useful within its deadline, and nothing more is asked of the chain.
 * Counted in {@code chain.degraded.answers} by reason.
 *
 * <p>Concurrency: thread-safe.
 */
public final class Degradation extends OnOffDefence {

    /** The header a degraded answer carries: its reason. */
    public static final String HEADER = "X-Degraded";

    private final AtomicReference<ChainResponse> lastGood = new AtomicReference<>();
    private final MeterRegistry registry;
    private final Map<String, Counter> answers = new ConcurrentHashMap<>();

    public Degradation(String mode, MeterRegistry registry) {
        super(Defences.DEGRADATION, mode, "chain.degradation.mode");
        this.registry = registry;
    }

    /** Remembers a good answer, to serve when the chain fails. */
    public void remember(ChainResponse good) {
        lastGood.set(good);
    }

    /**
     * The degraded answer to a call that failed with {@code reason}, counted.
     *
     * @param edge the hop's own entry (its role and attempts)
     */
    public DegradedResponse answer(ChainResponse.Hop edge, String reason) {
        answers.computeIfAbsent(reason, r -> Counter.builder(ChainMetricNames.DEGRADED_ANSWERS)
                .description("Answers served degraded (the last good answer) because the chain failed")
                .tag(ChainMetricNames.REASON, r).register(registry)).increment();
        ChainResponse last = lastGood.get();
        List<ChainResponse.Hop> hops = last == null ? List.of(edge) : last.hops();
        return new DegradedResponse(hops, true, reason, last == null ? "partial" : "last_good");
    }

    /**
     * A degraded answer.
     *
     * @param hops     the last good answer's hops, or the edge alone
     * @param degraded always true
     * @param reason   why the chain failed
     * @param source   {@code last_good} or {@code partial}
     */
    public record DegradedResponse(List<ChainResponse.Hop> hops, boolean degraded, String reason, String source) {
    }
}
