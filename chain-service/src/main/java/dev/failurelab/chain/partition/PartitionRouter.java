package dev.failurelab.chain.partition;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.failurelab.chain.LatencyTimers;
import dev.failurelab.chain.SingleFlight;
import dev.failurelab.chain.defence.OptionDefence;
import dev.failurelab.chain.overload.OnOffDefence;
import dev.failurelab.chain.settings.Setting;
import dev.failurelab.chain.settings.SettingsGroup;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The router of the partitioned store: it places each keyed request on one of the shards, as the
 * defences in force say.
 * <ul>
 *   <li>Reads of content ({@link #read}) go to the key's home by {@code modulo} or
 *       {@code consistent} hashing, or by {@code bounded-load} hashing to the first shard on the
 *       ring walk with room ({@link ShardLoads});</li>
 *   <li>for the keys {@link HotKeyDetector} finds hot, {@code coalesce} lets one shard call per key
 *       be in flight ({@link SingleFlight}), and {@code cache} keeps their answers for a moment in a
 *       small local Caffeine cache (its misses coalesced);</li>
 *   <li>counters live at their key's home on the ring: an increment ({@link #increment}) of a hot
 *       key goes, with write sharding on, to one of {@code key#0..k-1}, and a read of the counter
 *       ({@link #count}) then fans in over all of them.</li>
 * </ul>
 *
 * <p>Concurrency: thread-safe.
 */
public final class PartitionRouter implements SettingsGroup {

    static final String BALANCE_FACTOR = "chain.partition.balance-factor";
    static final String HOT_KEY_MIN_SHARE = "chain.partition.hot-key-min-share";
    static final String HOT_KEY_WINDOW = "chain.partition.hot-key-window";
    static final String CACHE_TTL = "chain.partition.cache-ttl";
    static final String WRITE_SHARDS = "chain.partition.write-shards";
    static final String SHARD_TIMEOUT = "chain.partition.shard-timeout";
    /** How many of the top hot keys the share gauge exports. */
    static final int EXPORTED_HOT_KEYS = 5;

    /**
     * What the router answers for one request.
     *
     * @param shard the shard that answered, numbered from 0 (shard {@code shard + 1} in meters and answers)
     */
    public record Answer(ShardClient.Outcome outcome, int shard, boolean home, long value, String source) {
    }

    private final HashRing ring;
    private final ShardLoads loads;
    private final ShardClient shards;
    private final HotKeyDetector detector;
    private final OptionDefence routing;
    private final OptionDefence hotKeys;
    private final OnOffDefence writeSharding;
    private final SingleFlight<Answer> flight;
    private final Map<String, Integer> shardedKeys = new ConcurrentHashMap<>();
    private volatile Cache<String, Answer> cache;
    private volatile double balanceFactor;
    private volatile double minShare;
    private volatile Duration window;
    private volatile Duration cacheTtl;
    private volatile int writeShards;

    private final MeterRegistry registry;
    private final Counter[][][] placements;
    private final Map<ShardClient.Outcome, Counter>[] answers;
    private final Counter[][] backendCalls = new Counter[3][2];
    private final Counter coalesced;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final MultiGauge hotKeyShares;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final PlacementSeconds seconds;
    private volatile List<HotKeyDetector.HotKey> exportedTop = List.of();

    /**
     * @param settings its settings at start (see {@code chain-service.yml}, {@code chain.partition.*})
     */
    @SuppressWarnings("unchecked")
    public PartitionRouter(PartitionProperties settings, ShardClient shards, OptionDefence routing,
            OptionDefence hotKeys, OnOffDefence writeSharding, MeterRegistry registry) {
        this.shards = shards;
        this.ring = new HashRing(shards.size(), settings.virtualNodes());
        this.seconds = new PlacementSeconds(shards.size(), System::currentTimeMillis);
        this.loads = new ShardLoads(shards.size(), seconds, LoadBound.of(settings.bound().implementation()));
        this.routing = routing;
        this.hotKeys = hotKeys;
        this.writeSharding = writeSharding;
        this.balanceFactor = settings.balanceFactor();
        this.minShare = settings.hotKeyMinShare();
        this.window = settings.hotKeyWindow();
        this.cacheTtl = settings.cacheTtl();
        this.writeShards = settings.writeShards();
        this.detector = new HotKeyDetector(settings.hotKeyCounters(), window, minShare, System::nanoTime);
        this.cache = cache(cacheTtl);
        this.flight = new SingleFlight<>(settings.shardTimeout().multipliedBy(2), new SingleFlight.Failures() {
            @Override
            public RuntimeException failed(String key, Throwable cause) {
                return new IllegalStateException("the coalesced call for " + key + " failed", cause);
            }

            @Override
            public RuntimeException waitedTooLong(String key, Duration bound, Exception cause) {
                return new CoalescedWaitExpired(key, bound, cause);
            }
        });
        this.registry = registry;
        int n = shards.size();
        this.placements = new Counter[n][3][2];
        this.answers = new Map[n];
        for (int s = 0; s < n; s++) {
            int shard = s;
            for (Op op : Op.values()) {
                for (int home = 0; home < 2; home++) {
                    placements[s][op.ordinal()][home] = Counter.builder(ChainMetricNames.PARTITION_PLACEMENTS)
                            .description("Requests the router placed on each shard, by operation and whether the"
                                    + " shard is the key's home")
                            .tag(ChainMetricNames.SHARD, Integer.toString(s + 1)).tag(ChainMetricNames.OP, op.tag())
                            .tag(ChainMetricNames.HOME, Boolean.toString(home == 1)).register(registry);
                }
            }
            answers[s] = new java.util.EnumMap<>(ShardClient.Outcome.class);
            for (ShardClient.Outcome outcome : ShardClient.Outcome.values()) {
                answers[s].put(outcome, Counter.builder(ChainMetricNames.PARTITION_SHARD_ANSWERS)
                        .description("The shards' answers to the router, by outcome (throttled: a 429)")
                        .tag(ChainMetricNames.SHARD, Integer.toString(s + 1))
                        .tag(ChainMetricNames.OUTCOME, outcome.tag()).register(registry));
            }
            Gauge.builder(ChainMetricNames.PARTITION_IN_FLIGHT, loads, l -> l.inFlight(shard))
                    .description("The router's requests in flight on each shard now")
                    .tag(ChainMetricNames.SHARD, Integer.toString(s + 1)).register(registry);
        }
        for (Op op : Op.values()) {
            for (int hot = 0; hot < 2; hot++) {
                backendCalls[op.ordinal()][hot] = Counter.builder(ChainMetricNames.PARTITION_BACKEND_CALLS)
                        .description("The router's calls to the shards, by operation and whether the key was detected"
                                + " hot").tag(ChainMetricNames.OP, op.tag())
                        .tag(ChainMetricNames.HOT, Boolean.toString(hot == 1)).register(registry);
            }
        }
        this.coalesced = Counter.builder(ChainMetricNames.PARTITION_COALESCED)
                .description("Requests for a hot key that joined another's shard call").register(registry);
        this.cacheHits = cacheCounter(registry, "hit");
        this.cacheMisses = cacheCounter(registry, "miss");
        Gauge.builder(ChainMetricNames.PARTITION_MAX_MEAN, seconds, p -> {
            PlacementSeconds.Second last = p.last();
            return last == null ? Double.NaN : last.maxMean();
        }).description("The busiest shard's placements over the mean, in the last second that ended").register(registry);
        this.hotKeyShares = MultiGauge.builder(ChainMetricNames.PARTITION_HOT_KEY_SHARE)
                .description("The top keys' share of the router's requests over the last window").register(registry);
    }

    private static Counter cacheCounter(MeterRegistry registry, String result) {
        return Counter.builder(ChainMetricNames.PARTITION_HOT_CACHE)
                .description("The router's hot-key cache lookups").tag(ChainMetricNames.RESULT, result)
                .register(registry);
    }

    private static Cache<String, Answer> cache(Duration ttl) {
        return Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(ttl).build();
    }

    /** The operations, as meters name them. */
    enum Op {
        /** A read of content: any shard can serve it. */
        READ,
        /** An increment of a counter, at its (sub-)key's home. */
        WRITE,
        /** A read of a counter, at its home (or fanned in over its sub-keys). */
        COUNT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A read of content: placed as the routing says; a hot key's coalesced or cached as the hot-key strategy says. */
    public Answer read(String key) {
        long start = System.nanoTime();
        boolean hot = observe(key);
        String strategy = hotKeys.current();
        Answer answer;
        if (hot && strategy.equals("cache")) {
            Answer cached = cache.getIfPresent(key);
            if (cached != null) {
                cacheHits.increment();
                answer = new Answer(cached.outcome(), cached.shard(), cached.home(), cached.value(), "cache");
                return timed(key, start, answer);
            }
            cacheMisses.increment();
        }
        if (hot && !strategy.equals("none")) {
            SingleFlight.Result<Answer> result = flight.run(key, () -> placeRead(key, true));
            answer = result.value();
            if (!result.led()) {
                coalesced.increment();
                answer = new Answer(answer.outcome(), answer.shard(), answer.home(), answer.value(), "coalesced");
            }
            if (strategy.equals("cache") && result.led() && answer.outcome() == ShardClient.Outcome.OK) {
                cache.put(key, answer);
            }
        } else {
            answer = placeRead(key, hot);
        }
        return timed(key, start, answer);
    }

    private Answer placeRead(String key, boolean hot) {
        String scheme = routing.current();
        int home = scheme.equals("modulo") ? ring.modulo(key) : ring.home(key);
        int shard = scheme.equals("bounded-load") ? loads.takeBounded(ring.walk(key), balanceFactor) : loads.take(home, false);
        return call(shard, home, Op.READ, "/api/kv/" + key, hot);
    }

    /** An increment of {@code key}'s counter: at its home, or with write sharding at a random sub-key's if it is hot. */
    public Answer increment(String key) {
        long start = System.nanoTime();
        boolean hot = observe(key);
        String target = key;
        if (hot && writeSharding.on()) {
            int k = writeShards;
            shardedKeys.merge(key, k, Math::max);
            target = key + "#" + ThreadLocalRandom.current().nextInt(k);
        }
        int shard = loads.take(ring.home(target), true);
        return timed(key, start, call(shard, shard, Op.WRITE, "/api/counter/" + path(target), hot));
    }

    /** A read of {@code key}'s counter: at its home, plus every sub-key's once its writes were ever sharded. */
    public Answer count(String key) {
        long start = System.nanoTime();
        boolean hot = observe(key);
        Integer k = shardedKeys.get(key);
        if (k == null) {
            int shard = loads.take(ring.home(key), false);
            return timed(key, start, call(shard, shard, Op.COUNT, "/api/counter/" + key, hot));
        }
        List<String> parts = new ArrayList<>();
        parts.add(key);
        for (int i = 0; i < k; i++) {
            parts.add(key + "#" + i);
        }
        List<CompletableFuture<Answer>> calls = new ArrayList<>();
        for (String part : parts) {
            int shard = loads.take(ring.home(part), false);
            calls.add(callAsync(shard, shard, Op.COUNT, "/api/counter/" + path(part), hot));
        }
        long sum = 0;
        Answer worst = null;
        for (CompletableFuture<Answer> call : calls) {
            Answer part = call.join();
            sum += part.value();
            if (part.outcome() != ShardClient.Outcome.OK && worst == null) {
                worst = part;
            }
        }
        Answer answer = worst != null ? worst
                : new Answer(ShardClient.Outcome.OK, ring.home(key), true, sum, "fan-in:" + parts.size());
        return timed(key, start, answer);
    }

    /** A (sub-)key as a path segment: the {@code #} of a sub-key encoded. */
    private static String path(String key) {
        return key.replace("#", "%23");
    }

    private boolean observe(String key) {
        detector.offer(key);
        List<HotKeyDetector.HotKey> top = detector.top();
        if (top != exportedTop) {
            exportedTop = top;
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (int i = 0; i < Math.min(EXPORTED_HOT_KEYS, top.size()); i++) {
                double share = top.get(i).share();
                rows.add(MultiGauge.Row.of(Tags.of(ChainMetricNames.RANK, Integer.toString(i + 1),
                        ChainMetricNames.KEY, top.get(i).key()), share));
            }
            hotKeyShares.register(rows, true);
        }
        return detector.isHot(key);
    }

    private Answer call(int shard, int home, Op op, String path, boolean hot) {
        return callAsync(shard, home, op, path, hot).join();
    }

    /** Calls {@code shard}, already counted in flight there: releases it when the answer is in. */
    private CompletableFuture<Answer> callAsync(int shard, int home, Op op, String path, boolean hot) {
        placements[shard][op.ordinal()][shard == home ? 1 : 0].increment();
        backendCalls[op.ordinal()][hot ? 1 : 0].increment();
        CompletableFuture<ShardClient.Call> call;
        try {
            call = shards.async(shard, path, op == Op.WRITE);
        } catch (RuntimeException e) {
            loads.release(shard);
            throw e;
        }
        return call.handle((c, e) -> {
            loads.release(shard);
            ShardClient.Call answered = c != null ? c : new ShardClient.Call(ShardClient.Outcome.ERROR, 0, 0);
            answers[shard].get(answered.outcome()).increment();
            return new Answer(answered.outcome(), shard, shard == home, answered.value(), "shard");
        });
    }

    private Answer timed(String key, long start, Answer answer) {
        String outcome = answer.outcome() == ShardClient.Outcome.OK ? "success"
                : answer.outcome() == ShardClient.Outcome.THROTTLED ? "throttled" : "error";
        int home = ring.home(key);
        timers.computeIfAbsent(home + "/" + outcome, k -> LatencyTimers.builder(
                ChainMetricNames.PARTITION_REQUESTS, "The router's requests, by the key's home shard and outcome")
                .tag(ChainMetricNames.SHARD, Integer.toString(home + 1)).tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return answer;
    }

    /** The placements per shard of each recent second that ended, oldest first. */
    public List<PlacementSeconds.Second> seconds() {
        return seconds.ended();
    }

    /** Whether {@code key} is hot now (it was in the last window that ended). */
    public boolean isHot(String key) {
        return detector.isHot(key);
    }

    /** The defences in force, and the shards. */
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("shards", shards.size());
        state.put(Defences.PARTITION_ROUTING.field(), routing.current());
        state.put("hotKeyStrategy", hotKeys.current());
        state.put("writeSharding", writeSharding.current());
        state.put("writeShardedKeys", shardedKeys.size());
        return state;
    }

    /** The hot keys of the last window, hottest first, with their shares. */
    public List<HotKeyDetector.HotKey> hotKeys() {
        return detector.top();
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.decimal(BALANCE_FACTOR, 0.01, 10),
                Setting.decimal(HOT_KEY_MIN_SHARE, 0.001, 1),
                Setting.duration(HOT_KEY_WINDOW, Duration.ofMillis(100), Duration.ofMinutes(1)),
                Setting.duration(CACHE_TTL, Duration.ofMillis(10), Duration.ofMinutes(1)),
                Setting.whole(WRITE_SHARDS, 2, 64),
                Setting.duration(SHARD_TIMEOUT, Duration.ofMillis(10), Duration.ofMinutes(1)));
    }

    @Override
    public Map<String, Object> current() {
        Map<String, Object> current = new LinkedHashMap<>();
        current.put(BALANCE_FACTOR, balanceFactor);
        current.put(HOT_KEY_MIN_SHARE, minShare);
        current.put(HOT_KEY_WINDOW, window);
        current.put(CACHE_TTL, cacheTtl);
        current.put(WRITE_SHARDS, writeShards);
        current.put(SHARD_TIMEOUT, shards.timeout());
        return current;
    }

    @Override
    public void apply(Map<String, Object> next) {
        balanceFactor = (Double) next.get(BALANCE_FACTOR);
        minShare = (Double) next.get(HOT_KEY_MIN_SHARE);
        window = (Duration) next.get(HOT_KEY_WINDOW);
        detector.configure(window, minShare);
        Duration ttl = (Duration) next.get(CACHE_TTL);
        if (!ttl.equals(cacheTtl)) {
            cacheTtl = ttl;
            cache = cache(ttl);
        }
        writeShards = (Integer) next.get(WRITE_SHARDS);
        shards.timeout((Duration) next.get(SHARD_TIMEOUT));
    }

    /** A request for a hot key waited for another's shard call longer than twice a call's timeout. */
    public static final class CoalescedWaitExpired extends RuntimeException {
        CoalescedWaitExpired(String key, Duration bound, Exception cause) {
            super("waited " + bound.toMillis() + " ms for the coalesced call of " + key, cause);
        }
    }
}
