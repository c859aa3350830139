package dev.failurelab.chain.overload;

import dev.failurelab.contract.Defences;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Deadlines that shrink down the chain ({@code /admin/deadlines}), on a calling hop, whatever its
 * retry policy (the budget policy always propagates). While on, a request that arrives with no
 * deadline (at the edge: the load's) gets {@code chain.deadlines.default} from now; each attempt
 * gets no more than what is left, and asks the next hop to answer a margin before it times out, so
 * each hop's deadline is shorter than its caller's and no hop works for a caller that has left.
 *
 * <p>Concurrency: thread-safe.
 */
public final class DeadlinePropagation extends OnOffDefence {

    private final Duration defaultDeadline;

    /** @param defaultDeadline the deadline of a request that arrives with none */
    public DeadlinePropagation(String mode, Duration defaultDeadline) {
        super(Defences.DEADLINES, mode, "chain.deadlines.mode");
        if (defaultDeadline == null || defaultDeadline.isNegative() || defaultDeadline.isZero()) {
            throw new IllegalArgumentException("chain.deadlines.default must be positive");
        }
        this.defaultDeadline = defaultDeadline;
    }

    /** The request's deadline: its own, or, while on and it has none, the default from now. */
    public OptionalLong deadline(OptionalLong given) {
        return given.isPresent() || !on() ? given : OptionalLong.of(System.currentTimeMillis() + defaultDeadline.toMillis());
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of("defaultDeadlineMs", defaultDeadline.toMillis());
    }
}
