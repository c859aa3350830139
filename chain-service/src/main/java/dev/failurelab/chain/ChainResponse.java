package dev.failurelab.chain;

import java.util.ArrayList;
import java.util.List;

/**
 * The body a successful chain call returns: the hops that served it, outermost first.
 *
 * @param hops one entry per hop, with the attempts that hop made to reach the next
 */
public record ChainResponse(List<Hop> hops) {

    /**
     * @param role     the hop's role
     * @param attempts attempts this hop made to the next hop (0 for the bottom)
     */
    public record Hop(String role, int attempts) {
    }

    /** This response with {@code hop} placed in front. */
    public ChainResponse prepend(Hop hop) {
        List<Hop> all = new ArrayList<>(hops.size() + 1);
        all.add(hop);
        all.addAll(hops);
        return new ChainResponse(List.copyOf(all));
    }
}
