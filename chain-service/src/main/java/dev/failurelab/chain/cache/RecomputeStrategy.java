package dev.failurelab.chain.cache;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a cache read does when the hot key has expired, or is about to; switchable at runtime.
 * Each id's behaviour is a {@link ReadStrategy} of its own (see {@link StampedeGuard}).
 */
public enum RecomputeStrategy {
    /** Every miss recomputes: the stampede ({@link RecomputeOnMiss}). */
    NONE("none"),
    /** One caller (across replicas) holds a per-key lock and recomputes; the others wait ({@link LockOnMiss}). */
    LOCK("lock"),
    /** XFetch: a caller recomputes early with a probability that rises towards the expiry ({@link XFetch}). */
    XFETCH("xfetch"),
    /** Serve the stale value while one caller refreshes it in the background ({@link StaleWhileRevalidate}). */
    SWR("swr"),
    /** Stale-while-revalidate when a stale value exists, the lock when it does not. */
    LOCK_SWR("lock+swr");

    private final String id;

    RecomputeStrategy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<RecomputeStrategy> of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(RecomputeStrategy::id).collect(Collectors.joining(", "));
    }
}
