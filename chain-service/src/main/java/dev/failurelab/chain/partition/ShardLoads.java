package dev.failurelab.chain.partition;

/**
 * The requests the router has in flight on each shard and has placed on each this second, and the
 * placement of a read by them. With bounded loads (Mirrokni, Thorup and Zadimoghaddam, "Consistent
 * Hashing with Bounded Loads", SODA 2018; HAProxy's {@code hash-balance-factor}), a shard may take
 * a request only while its load stays within {@code (1 + ε)} times the average, counting the new
 * request: the request goes to the first shard on the ring walk from its key that has room. The load
 * is counted two ways, and a shard must have room in both: its requests in flight (the paper's, and
 * HAProxy's connections) and its placements in the current second (a partition's capacity is per
 * second, as DynamoDB provisions it), so that no second's placements on any shard exceed (1 + ε)
 * times that second's average. A key moves off its home only while its home is full.
 *
 * <p>Concurrency: thread-safe; a placement and its counts are one step under this object's lock, so
 * two placements never both take a shard's last room.
 */
public final class ShardLoads {

    private final int[] inFlight;
    private final PlacementSeconds seconds;
    private final LoadBound bound;
    private int total;

    /**
     * @param seconds where each placement is counted in its second
     * @param bound   whether a shard has room ({@link BoundedLoads}, or an exercise's)
     */
    public ShardLoads(int shards, PlacementSeconds seconds, LoadBound bound) {
        this.inFlight = new int[shards];
        this.seconds = seconds;
        this.bound = bound;
    }

    /** Places a request on {@code shard} without a bound (its key's home): counts it in flight and in its second. */
    public synchronized int take(int shard, boolean write) {
        seconds.record(shard, write);
        return count(shard);
    }

    private int count(int shard) {
        inFlight[shard]++;
        total++;
        return shard;
    }

    /**
     * Places a read on the first shard of {@code walk} whose loads, with it, stay within
     * {@code (1 + balanceFactor) × (total + 1) / n} ({@link LoadBound}), in flight and this second; failing that (while
     * a second's placements are still a handful, where that bound is under 1), on the first with
     * room in flight; failing that, on the least loaded. Counts it there.
     *
     * @return the shard chosen
     */
    public synchronized int takeBounded(int[] walk, double balanceFactor) {
        int n = inFlight.length;
        int chosen = -1;
        for (int shard : walk) {
            if (bound.hasRoom(inFlight[shard], total, n, balanceFactor) && seconds.within(shard, balanceFactor, bound)) {
                chosen = shard;
                break;
            }
        }
        for (int i = 0; chosen < 0 && i < walk.length; i++) {
            if (bound.hasRoom(inFlight[walk[i]], total, n, balanceFactor)) {
                chosen = walk[i];
            }
        }
        if (chosen < 0) {
            chosen = walk[0];
            for (int shard : walk) {
                if (inFlight[shard] < inFlight[chosen]) {
                    chosen = shard;
                }
            }
        }
        seconds.record(chosen, false);
        return count(chosen);
    }

    /** The request on {@code shard} has ended. */
    public synchronized void release(int shard) {
        inFlight[shard]--;
        total--;
    }

    /** In flight on {@code shard} now. */
    public synchronized int inFlight(int shard) {
        return inFlight[shard];
    }
}
