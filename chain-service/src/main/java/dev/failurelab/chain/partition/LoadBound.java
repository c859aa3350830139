package dev.failurelab.chain.partition;

import dev.failurelab.chain.defence.DefenceImplementation;

/**
 * Bounded-load hashing's test (Mirrokni, Thorup and Zadimoghaddam, SODA 2018): whether a shard may
 * take one more request. {@link BoundedLoads} is the project's; the hot-partition exercise has
 * participants write their own ({@code exercises/}), which the router runs when
 * {@code chain.partition.bound.implementation} names its class.
 *
 * <p>The contract: with {@code total} requests on {@code shards} shards before this one, a shard
 * carrying {@code load} has room when its load with the request stays within
 * {@code (1 + balanceFactor)} times the average load with the request. The router asks it twice per
 * shard, of the requests in flight and of the placements this second, walks the key's ring until a
 * shard has room, and falls back on the least loaded when none has (only while the loads are a
 * handful). Implementations must be stateless and thread-safe (the router calls them under its lock).
 */
@FunctionalInterface
public interface LoadBound {

    /**
     * @param load          the shard's load now (without the request)
     * @param total         every shard's load together now (without the request)
     * @param shards        the number of shards
     * @param balanceFactor ε: 0.25 lets a shard carry a quarter more than the average
     */
    boolean hasRoom(long load, long total, int shards, double balanceFactor);

    /**
     * The bound of {@code implementation}: {@value DefenceImplementation#REFERENCE}, or the name of a
     * class that implements this interface with a public constructor taking nothing.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    static LoadBound of(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return new BoundedLoads();
        }
        return DefenceImplementation.load(PartitionProperties.BOUND_IMPLEMENTATION, implementation, LoadBound.class,
                "()").create();
    }
}
