package dev.failurelab.chain.partition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a key lives among {@code n} shards: by {@code hash mod n}, or on a consistent-hash ring of
 * {@code virtualNodes} points per shard (Karger et al.; the points as Ketama spreads them). The ring
 * also gives the order in which bounded-load hashing tries the shards after a key's home: the
 * distinct shards met walking clockwise from the key.
 *
 * <p>Immutable and thread-safe.
 */
public final class HashRing {

    private final int shards;
    private final long[] points;
    private final int[] owners;

    /**
     * @param shards       the shards, numbered 0 to {@code shards - 1}
     * @param virtualNodes points per shard on the ring
     */
    public HashRing(int shards, int virtualNodes) {
        if (shards < 1 || virtualNodes < 1) {
            throw new IllegalArgumentException("a ring needs at least one shard and one point per shard");
        }
        this.shards = shards;
        int size = shards * virtualNodes;
        long[][] pairs = new long[size][2];
        for (int s = 0, i = 0; s < shards; s++) {
            for (int v = 0; v < virtualNodes; v++, i++) {
                pairs[i][0] = hash("shard-" + s + "#" + v);
                pairs[i][1] = s;
            }
        }
        Arrays.sort(pairs, (a, b) -> Long.compareUnsigned(a[0], b[0]));
        this.points = new long[size];
        this.owners = new int[size];
        for (int i = 0; i < size; i++) {
            points[i] = pairs[i][0];
            owners[i] = (int) pairs[i][1];
        }
    }

    /** The number of shards. */
    public int shards() {
        return shards;
    }

    /** The key's shard by {@code hash mod n}: every key moves when n changes. */
    public int modulo(String key) {
        return (int) Long.remainderUnsigned(hash(key), shards);
    }

    /** The key's home on the ring: the owner of the first point at or after the key's hash. */
    public int home(String key) {
        return owners[first(hash(key))];
    }

    /**
     * Every shard once, in the order met walking the ring clockwise from the key: its home first,
     * then where its load spills.
     */
    public int[] walk(String key) {
        int[] order = new int[shards];
        boolean[] seen = new boolean[shards];
        int found = 0;
        for (int i = first(hash(key)), steps = 0; found < shards && steps < points.length; i = (i + 1) % points.length,
                steps++) {
            int owner = owners[i];
            if (!seen[owner]) {
                seen[owner] = true;
                order[found++] = owner;
            }
        }
        return order;
    }

    private int first(long hash) {
        int low = 0;
        int high = points.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(points[mid], hash) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low == points.length ? 0 : low;
    }

    /** 64-bit FNV-1a over the key's UTF-8 bytes, then MurmurHash3's finaliser to spread the bits. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
