package dev.failurelab.chain.partition;

/**
 * The project's {@link LoadBound}: a shard has room when {@code load + 1 <= (1 + ε) × (total + 1) /
 * shards}, both sides counting the request. The bound is a real number, not rounded up: a second's
 * placements so stay within (1 + ε) of that second's mean, whole requests and all.
 */
public final class BoundedLoads implements LoadBound {

    @Override
    public boolean hasRoom(long load, long total, int shards, double balanceFactor) {
        return load + 1 <= (1 + balanceFactor) * (total + 1) / shards;
    }
}
