package dev.failurelab.exercise.partition;

import dev.failurelab.chain.partition.LoadBound;

/**
 * Exercise 12.5: your bounded-load hashing, in the partition router. It compiles, and it does not
 * defend: every shard always has room, so every read goes to its key's home, as plain consistent
 * hashing does, and the celebrity's shard melts. Bound it, then run
 * {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with the figure they measured and a hint): a
 * shard carrying {@code load} has room for one more request when its load <em>with</em> the request
 * stays within {@code (1 + balanceFactor)} times the average load <em>with</em> the request, that is
 * over {@code total + 1} requests on {@code shards} shards. Do not round the bound up. The router
 * walks the key's ring until a shard has room; you only answer.
 *
 * <p>Where to look: V. Mirrokni, M. Thorup, M. Zadimoghaddam, "Consistent Hashing with Bounded
 * Loads" (SODA 2018), and HAProxy's {@code hash-balance-factor}.
 */
public final class MyLoadBound implements LoadBound {

    @Override
    public boolean hasRoom(long load, long total, int shards, double balanceFactor) {
        // TODO: room while load + 1 stays within (1 + balanceFactor) times the average over total + 1 requests.
        return true;
    }
}
