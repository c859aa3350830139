package dev.failurelab.contract;

import java.util.List;
import java.util.Optional;

/** The switchable defences the services offer, by id. */
public final class Defences {

    /** Each calling hop's retry policy (edge, middle). */
    public static final Defence RETRY_POLICY = new Defence("retry-policy", "policy", "chain.retry.policy",
            List.of("none", "naive", "backoff", "budget"), "none", "how a calling hop retries a failed call");

    /** Each hot-key replica's recompute strategy (bottom and its replica). */
    public static final Defence CACHE_STRATEGY = new Defence("cache-strategy", "strategy", "chain.cache.strategy",
            List.of("none", "lock", "xfetch", "swr", "lock+swr"), "none",
            "how a replica recomputes the hot key when it expires");

    private static final List<Defence> ALL = List.of(RETRY_POLICY, CACHE_STRATEGY);

    private Defences() {
    }

    public static Optional<Defence> byId(String id) {
        return ALL.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
