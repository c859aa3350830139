package dev.failurelab.chain.cache;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a cache read does when the hot key has expired, or is about to; switchable at runtime. */
public enum RecomputeStrategy {
    /** Every miss recomputes: the stampede. */
    NONE("none", false, false, false),
    /** One caller (across replicas) holds a per-key Redis lock and recomputes; the others wait for its value. */
    LOCK("lock", true, false, false),
    /** XFetch: a caller recomputes early with a probability that rises towards the expiry (no coordination). */
    XFETCH("xfetch", false, false, true),
    /** Serve the stale value while exactly one caller refreshes it in the background. */
    SWR("swr", false, true, false),
    /** Stale-while-revalidate when a stale value exists, the lock when it does not (a cold or evicted key). */
    LOCK_SWR("lock+swr", true, true, false);

    private final String id;
    private final boolean locksOnMiss;
    private final boolean servesStale;
    private final boolean recomputesEarly;

    RecomputeStrategy(String id, boolean locksOnMiss, boolean servesStale, boolean recomputesEarly) {
        this.id = id;
        this.locksOnMiss = locksOnMiss;
        this.servesStale = servesStale;
        this.recomputesEarly = recomputesEarly;
    }

    public String id() {
        return id;
    }

    /** On a miss, callers coordinate through the per-key lock instead of all recomputing. */
    public boolean locksOnMiss() {
        return locksOnMiss;
    }

    /** An expired value still in Redis is served while one caller refreshes it. */
    public boolean servesStale() {
        return servesStale;
    }

    /** A fresh value may be recomputed before it expires (XFetch). */
    public boolean recomputesEarly() {
        return recomputesEarly;
    }

    public static Optional<RecomputeStrategy> of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(RecomputeStrategy::id).collect(Collectors.joining(", "));
    }
}
