package dev.failurelab.chain.partition;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A shard's data: the counters whose home it is, and the content keys it served lately (a bounded
 * set, as a cache node's memory): a read of a key it has not held is a local miss, which is what
 * bounded-load hashing costs when it moves a key off its home.
 *
 * <p>Thread-safe.
 */
public final class ShardStore {

    private final int number;
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Cache<String, Boolean> held;
    private final Counter hits;
    private final Counter misses;

    /**
     * @param number    this shard's number (1 to N), as its answers name it
     * @param localKeys the content keys it holds at most
     */
    public ShardStore(int number, int localKeys, MeterRegistry registry) {
        this.number = number;
        this.held = Caffeine.newBuilder().maximumSize(localKeys).build();
        this.hits = local(registry, "hit");
        this.misses = local(registry, "miss");
    }

    private static Counter local(MeterRegistry registry, String result) {
        return Counter.builder(ChainMetricNames.SHARD_LOCAL_READS)
                .description("This shard's reads of content, by whether it held the key already")
                .tag(ChainMetricNames.RESULT, result).register(registry);
    }

    /** This shard's number. */
    public int number() {
        return number;
    }

    /** Reads {@code key}'s content: whether it held it already (then it does). */
    public boolean read(String key) {
        boolean hit = held.getIfPresent(key) != null;
        if (hit) {
            hits.increment();
        } else {
            misses.increment();
            held.put(key, Boolean.TRUE);
        }
        return hit;
    }

    /** Adds one to {@code key}'s counter; its new value. */
    public long increment(String key) {
        LongAdder counter = counters.computeIfAbsent(key, k -> new LongAdder());
        counter.increment();
        return counter.sum();
    }

    /** {@code key}'s counter (0 if never written). */
    public long count(String key) {
        LongAdder counter = counters.get(key);
        return counter == null ? 0 : counter.sum();
    }
}
