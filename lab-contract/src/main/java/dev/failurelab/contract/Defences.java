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

    /** A Resilience4j circuit breaker on each calling hop's outbound attempts (edge, middle). */
    public static final Defence CIRCUIT_BREAKER = new Defence("circuit-breaker", "breaker", "chain.breaker.mode",
            List.of("off", "on"), "off", "a circuit breaker on the calls to the next hop");

    /** Client-side adaptive throttling (Google SRE book, "Handling Overload") on each calling hop. */
    public static final Defence ADAPTIVE_THROTTLE = new Defence("adaptive-throttle", "throttle",
            "chain.throttle.mode", List.of("off", "on"), "off",
            "reject locally with probability max(0, (requests - K x accepts) / (requests + 1))");

    /** Deadline propagation on each calling hop, whatever the retry policy (budget always propagates). */
    public static final Defence DEADLINES = new Defence("deadlines", "deadlines", "chain.deadlines.mode",
            List.of("off", "on"), "off", "each attempt carries its deadline down the chain; no hop works past it");

    /** An adaptive concurrency limit (Netflix concurrency-limits' Gradient2) in front of the bottom's work. */
    public static final Defence LOAD_SHEDDING = new Defence("load-shedding", "shedding", "chain.shedding.mode",
            List.of("off", "on"), "off", "shed requests past an adaptive concurrency limit at the bottom");

    /** The edge's graceful degradation: its last good answer, marked degraded, when the chain fails. */
    public static final Defence DEGRADATION = new Defence("degradation", "degradation", "chain.degradation.mode",
            List.of("off", "on"), "off", "answer with the last good answer, marked degraded, when the chain fails");

    /**
     * The bottom's queue discipline: how it orders, bounds and sheds the requests waiting for a
     * service slot. {@code fifo} is bounded by {@code chain.capacity.queue-capacity} and
     * {@code queue-timeout} and drops work whose deadline passed; {@code unbounded-fifo} is the
     * overload failure (no bound, no timeout, deadlines ignored); {@code codel} and
     * {@code adaptive-lifo} are Facebook's ("Fail at Scale"); {@code adaptive-limit} is Netflix
     * concurrency-limits' (Gradient2 behind a LIFO backlog); {@code priority} partitions the queue by
     * {@link Priority} (live first, batch at most 10% of it); {@code deadline} drops work that cannot
     * finish within its caller's deadline.
     */
    public static final Defence QUEUE_DISCIPLINE = new Defence("queue-discipline", "discipline",
            "chain.queue.discipline", List.of("fifo", "unbounded-fifo", "codel", "adaptive-lifo", "adaptive-limit",
                    "priority", "deadline"), "fifo", "how the bottom orders, bounds and sheds its queue");

    /**
     * The partition router's placement of reads: {@code modulo} (hash mod N) and {@code consistent}
     * (a ring of virtual nodes) send every read of a key to its home shard, the failure under a hot
     * key; {@code bounded-load} is consistent hashing with bounded loads (Mirrokni, Thorup and
     * Zadimoghaddam, SODA 2018): no shard takes more than (1 + ε) times the average in flight.
     */
    public static final Defence PARTITION_ROUTING = new Defence("partition-routing", "routing",
            "chain.partition.routing", List.of("modulo", "consistent", "bounded-load"), "consistent",
            "how the router places a key's reads on the shards");

    /**
     * What the router does for the keys it detects as hot: {@code none}; {@code coalesce} (one
     * shard call in flight per hot key, the others join it); {@code cache} (a small local cache of
     * the hot keys' answers, its misses coalesced).
     */
    public static final Defence HOT_KEYS = new Defence("hot-keys", "strategy", "chain.partition.hot.keys",
            List.of("none", "coalesce", "cache"), "none", "how the router serves the keys it detects as hot");

    /**
     * Write sharding of the hot keys: a write to a hot key goes to one of {@code key#0..k-1} and a
     * read sums them all (the client-side fix for one key's writes, which no partitioning spreads).
     */
    public static final Defence WRITE_SHARDING = new Defence("write-sharding", "sharding",
            "chain.partition.write.sharding", List.of("off", "on"), "off",
            "spread a hot key's writes over k sub-keys; its reads fan in");

    /**
     * Serve-stale (RFC 8767) in each calling hop's resolver: {@code off}, an expired answer is gone;
     * {@code on}, a lookup of an expired name refreshes it and, if no fresh answer came within the
     * client response timer ({@code chain.dns.stale-answer-timer}, the RFC's 1.8 s), is answered
     * with the expired one; {@code refresh}, the expired answer is served at once and refreshed in
     * the background.
     */
    public static final Defence SERVE_STALE = new Defence("serve-stale", "mode", "chain.dns.serve.stale",
            List.of("off", "on", "refresh"), "off", "serve an expired DNS answer when no fresh one can be had");

    /** A fallback DNS server in each calling hop's resolver, asked when the primary fails or times out. */
    public static final Defence DNS_FALLBACK = new Defence("dns-fallback", "fallback", "chain.dns.fallback",
            List.of("off", "on"), "off", "ask the fallback DNS server when the primary fails or times out");

    /** Eureka's self-preservation in the registry: no evictions while renewals are below 85% of those expected. */
    public static final Defence SELF_PRESERVATION = new Defence("self-preservation", "mode",
            "chain.registry.self.preservation", List.of("off", "on"), "on",
            "the registry stops evicting instances while renewals fall below 85% of those expected");

    /** What a calling hop does with its copy of the registry when it cannot fetch a new one. */
    public static final Defence REGISTRY_CACHE = new Defence("registry-cache", "mode", "chain.discovery.registry.cache",
            List.of("drop", "keep"), "keep",
            "keep calling the instances of the last registry data fetched while the registry is unreachable");

    /** A call whose instance failed to answer is sent once more, to a different instance. */
    public static final Defence INSTANCE_RETRY = new Defence("instance-retry", "retry", "chain.discovery.instance.retry",
            List.of("off", "on"), "off", "retry a call that failed on one instance once on a different instance");

    /** Envoy-style outlier ejection in the calling hop, capped at a share of the instances. */
    public static final Defence OUTLIER_EJECTION = new Defence("outlier-ejection", "ejection",
            "chain.discovery.outlier.ejection", List.of("off", "on"), "off",
            "stop calling an instance after consecutive failures for a while, at most a capped share of them");

    /** The calling hop's own health checks of the instances: none, one check decides, or hysteresis. */
    public static final Defence HEALTH_CHECKS = new Defence("health-checks", "mode", "chain.discovery.health.checks",
            List.of("off", "plain", "hysteresis"), "off",
            "check each instance's health: plain (each check decides) or with hysteresis (fall and rise counts)");

    /** Who may lead the split-brain lab's store: a standby on a heartbeat timeout, or the ZooKeeper election with quorum writes. */
    public static final Defence LEADERSHIP = new Defence("leadership", "mode", "chain.store.leadership",
            List.of("naive", "consensus"), "naive",
            "naive: a standby promotes itself when the leader's heartbeat times out, writes are acknowledged"
                    + " before they are replicated; consensus: leader election on ZooKeeper (Apache Curator),"
                    + " writes and reads acknowledged by a majority");

    /** The split-brain lab's storage refuses a write that carries a lower fencing token than one it has seen. */
    public static final Defence FENCING = new Defence("fencing", "fencing", "chain.store.fencing", List.of("off", "on"),
            "off", "PostgreSQL refuses a write whose fencing token (the leader's epoch) is below one it has seen");

    private static final List<Defence> ALL = List.of(RETRY_POLICY, CACHE_STRATEGY, CIRCUIT_BREAKER, ADAPTIVE_THROTTLE,
            DEADLINES, LOAD_SHEDDING, DEGRADATION, QUEUE_DISCIPLINE, PARTITION_ROUTING, HOT_KEYS, WRITE_SHARDING,
            SERVE_STALE, DNS_FALLBACK, SELF_PRESERVATION, REGISTRY_CACHE, INSTANCE_RETRY, OUTLIER_EJECTION,
            HEALTH_CHECKS, LEADERSHIP, FENCING);

    private Defences() {
    }

    /** Every defence, in the order the labs added them. */
    public static List<Defence> all() {
        return ALL;
    }

    public static Optional<Defence> byId(String id) {
        return ALL.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
