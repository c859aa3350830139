package dev.failurelab.contract;

/**
 * Every meter name and tag key the chain service exports, in dotted (Micrometer) form;
 * {@link PrometheusNames} gives their Prometheus form. Dashboards, alert rules and labs use these.
 */
public final class ChainMetricNames {

    /** Timer of requests served by this hop; tag {@link #OUTCOME}. */
    public static final String REQUESTS = "chain.requests";
    /** Counter of outbound attempts to the next hop; tags {@link #KIND} and {@link #OUTCOME}. */
    public static final String CLIENT_ATTEMPTS = "chain.client.attempts";
    /** Gauge: requests in service now (bottom). */
    public static final String CAPACITY_IN_FLIGHT = "chain.capacity.inflight";
    /** Gauge: requests waiting for a service slot now (bottom). */
    public static final String CAPACITY_QUEUE_DEPTH = "chain.capacity.queue.depth";
    /** Gauge: configured concurrency limit (bottom). */
    public static final String CAPACITY_LIMIT = "chain.capacity.limit";
    /** Gauge: configured queue bound (bottom). */
    public static final String CAPACITY_QUEUE_LIMIT = "chain.capacity.queue.limit";
    /** Counter of requests shed by the capacity limiter; tags {@link #REASON} and {@link #PRIORITY}. */
    public static final String CAPACITY_REJECTIONS = "chain.capacity.rejections";
    /**
     * Timer (histogram) of the time a request spent in the bottom's queue before it was served or
     * shed (0 when a slot was free); tags {@link #PRIORITY} and {@link #OUTCOME} ({@code served}, {@code shed}).
     */
    public static final String QUEUE_SOJOURN = "chain.queue.sojourn";
    /**
     * Counter of requests the bottom finished serving, by whether they made their caller's deadline
     * ({@link #DEADLINE}: {@code met}, {@code missed} (wasted work: nobody waits for it), {@code none})
     * and {@link #PRIORITY}.
     */
    public static final String QUEUE_COMPLETED = "chain.queue.completed";
    /** Gauge: the library's adaptive concurrency limit now (the adaptive-limit queue discipline); tag {@link #DISCIPLINE}. */
    public static final String QUEUE_ADAPTIVE_LIMIT = "chain.queue.adaptive.limit";

    /** Gauge: retries the budget would allow now. */
    public static final String RETRY_BUDGET_TOKENS = "chain.retry.budget.tokens";
    /** Counter of budget decisions; tag {@link #DECISION}. */
    public static final String RETRY_BUDGET_DECISIONS = "chain.retry.budget.decisions";

    /** Timer of {@code GET /api/top-products}; tag {@link #SOURCE} (a read's source, or the error). */
    public static final String CACHE_REQUESTS = "chain.cache.requests";
    /** Timer of queries sent to PostgreSQL (the origin); tag {@link #OUTCOME}. Its count is the origin load. */
    public static final String CACHE_ORIGIN_QUERIES = "chain.cache.origin.queries";
    /** Timer of recomputes of a cached value; tags {@link #TRIGGER} and {@link #OUTCOME}. */
    public static final String CACHE_RECOMPUTES = "chain.cache.recomputes";
    /** Counter of attempts to take a key's recompute lock; tag {@link #RESULT}. */
    public static final String CACHE_LOCK_ACQUISITIONS = "chain.cache.lock.acquisitions";
    /** Timer of waits for another caller's recompute; tag {@link #OUTCOME} ({@code value} or {@code timeout}). */
    public static final String CACHE_LOCK_WAIT = "chain.cache.lock.wait";
    /** Counter of recomputes whose lock expired before they could store their value. */
    public static final String CACHE_LOCK_LOST = "chain.cache.lock.lost";
    /** Counter of reads that found Redis unavailable and fell back to this JVM. */
    public static final String CACHE_REDIS_ERRORS = "chain.cache.redis.errors";

    /** Attempts a calling hop refused itself, without sending them, by reason (breaker_open, throttled). */
    public static final String CLIENT_REJECTED_LOCALLY = "chain.client.rejected.locally";
    /** The adaptive throttle's rejection probability now (0..1). */
    public static final String THROTTLE_PROBABILITY = "chain.throttle.probability";
    /** Circuit breaker state transitions, by from_state and to_state. */
    public static final String BREAKER_TRANSITIONS = "chain.breaker.transitions";
    /** The adaptive concurrency limit now (load shedding at the bottom). */
    public static final String SHEDDING_LIMIT = "chain.shedding.limit";
    /** Answers the edge served degraded (its last good answer), by reason. */
    public static final String DEGRADED_ANSWERS = "chain.degraded.answers";
    /** The share of the bottom's capacity cut now (0 when no cut is in force). */
    public static final String CAPACITY_CUT = "chain.capacity.cut";
    /** Timer of the origin pool's connection acquisitions (Hikari's own meter; pool {@code origin}). */
    public static final String POOL_ACQUIRE = "hikaricp.connections.acquire";

    /** Counter of the router's placements: tags {@link #SHARD}, {@link #OP}, {@link #HOME} (the key's home shard or not). */
    public static final String PARTITION_PLACEMENTS = "chain.partition.placements";
    /** Counter of the shards' answers to the router: tags {@link #SHARD}, {@link #OUTCOME} (ok, throttled, error). */
    public static final String PARTITION_SHARD_ANSWERS = "chain.partition.shard.answers";
    /** Gauge of the busiest shard's placements over the mean, in the router's last second that ended. */
    public static final String PARTITION_MAX_MEAN = "chain.partition.max.mean";
    /** Timer of the router's requests: tags {@link #SHARD} (the key's home shard), {@link #OUTCOME} (success, throttled, error). */
    public static final String PARTITION_REQUESTS = "chain.partition.requests";
    /** Counter of the router's calls to the shards: tags {@link #OP}, {@link #HOT} (whether the key was detected hot). */
    public static final String PARTITION_BACKEND_CALLS = "chain.partition.backend.calls";
    /** Counter of the requests that joined another's shard call for the same hot key (coalesced). */
    public static final String PARTITION_COALESCED = "chain.partition.coalesced";
    /** Counter of the router's hot-key cache lookups: tag {@link #RESULT} (hit, miss). */
    public static final String PARTITION_HOT_CACHE = "chain.partition.hot.cache";
    /** Gauge of the top hot keys' share of the router's requests over the last window: tags {@link #RANK}, {@link #KEY}. */
    public static final String PARTITION_HOT_KEY_SHARE = "chain.partition.hot.key.share";
    /** Gauge of the router's shards in flight now: tag {@link #SHARD}. */
    public static final String PARTITION_IN_FLIGHT = "chain.partition.inflight";
    /** Counter of a shard's own operations: tags {@link #OP}, {@link #OUTCOME} (ok, throttled). */
    public static final String SHARD_OPERATIONS = "chain.shard.operations";
    /** Counter of a shard's reads by whether it held the key already: tag {@link #RESULT} (hit, miss). */
    public static final String SHARD_LOCAL_READS = "chain.shard.local.reads";
    /**
     * Counter of a calling hop's name lookups (one per new connection; the DNS lab's hops): tag
     * {@link #OUTCOME} (hit, resolved, stale: an expired answer served, negative: a cached failure,
     * nxdomain, servfail, timeout, error).
     */
    public static final String DNS_LOOKUPS = "chain.dns.lookups";
    /**
     * Timer of a calling hop's DNS queries on the wire: tags {@link #SERVER} (primary, fallback),
     * {@link #OUTCOME} (resolved, nxdomain, servfail, timeout, error).
     */
    public static final String DNS_RESOLUTION = "chain.dns.resolution";
    /** Gauge of a calling hop's pooled connections to the next hop (the DNS lab's): tag {@link #STATE} (leased, available). */
    public static final String CLIENT_CONNECTIONS = "chain.client.connections";

    /**
     * Gauge of the instances a calling hop knows of its next hop through the registry (the
     * service-discovery lab's middle): tag {@link #STATE} (known: in its copy of the registry;
     * eligible: those it sends calls to, after health checks and outlier ejection).
     */
    public static final String DISCOVERY_INSTANCES = "chain.discovery.instances";
    /**
     * Counter of a Eureka client's requests to the registry: tags {@link #OPERATION} (fetch, renew,
     * register, cancel, other), {@link #OUTCOME} (ok, error).
     */
    public static final String DISCOVERY_REGISTRY_REQUESTS = "chain.discovery.registry.requests";
    /** Gauge of the age of a calling hop's registry data: seconds since its last successful fetch. */
    public static final String DISCOVERY_REGISTRY_AGE = "chain.discovery.registry.age";
    /** Counter of a calling hop's outlier ejections of an instance: tag {@link #INSTANCE}. */
    public static final String DISCOVERY_EJECTIONS = "chain.discovery.ejections";
    /** Counter of changes to the instances a calling hop sends calls to: tag {@link #CHANGE} (added, removed). */
    public static final String DISCOVERY_MEMBERSHIP_CHANGES = "chain.discovery.membership.changes";
    /** Counter of a calling hop's requests to each instance: tags {@link #INSTANCE}, {@link #OUTCOME} (success, error). */
    public static final String DISCOVERY_CALLS = "chain.discovery.calls";
    /** Counter of calls retried on another instance after the first one failed. */
    public static final String DISCOVERY_INSTANCE_RETRIES = "chain.discovery.instance.retries";
    /** Gauge: 1 while a fault of the service-discovery lab is in force on this instance: tag fault (kill, health-flap). */
    public static final String DISCOVERY_INSTANCE_FAULT = "chain.discovery.instance.fault";
    /** Gauge of the instances registered with the registry (the registry's own view, evicted ones gone). */
    public static final String REGISTRY_INSTANCES = "chain.registry.instances";
    /** Counter of the lease renewals (heartbeats) the registry accepted. */
    public static final String REGISTRY_RENEWALS = "chain.registry.renewals";
    /** Gauge of the renewals per minute the registry measured (Eureka's "renews in the last minute"). */
    public static final String REGISTRY_RENEWAL_RATE = "chain.registry.renewal.rate";
    /** Gauge of the renewals per minute below which self-preservation holds evictions (85% of those expected). */
    public static final String REGISTRY_RENEWAL_THRESHOLD = "chain.registry.renewal.threshold";
    /** Gauge: 1 while self-preservation is holding the registry's evictions, else 0. */
    public static final String REGISTRY_SELF_PRESERVING = "chain.registry.self.preserving";
    /** Counter of the instances the registry evicted (leases expired); cancels are not counted. */
    public static final String REGISTRY_EVICTIONS = "chain.registry.evictions";

    /**
     * Gauge: when this instance started (its application context), in seconds since the epoch: a restart changes
     * it (a chaos drill scores a restart as a blunt action). Per instance, even where several share a JVM.
     */
    public static final String INSTANCE_START_TIME = "chain.instance.start.time.seconds";

    /** Gauge: 1 while this node of the split-brain lab's store says it is the leader, else 0: tag {@link #NODE}. */
    public static final String STORE_LEADER = "chain.store.leader";
    /** Gauge of this store node's term: its fencing token while it leads, else the highest it has seen. */
    public static final String STORE_TERM = "chain.store.term";
    /** Counter of the client writes this store node answered: tag {@link #OUTCOME} (acked, not_leader, no_quorum, fenced, error). */
    public static final String STORE_WRITES = "chain.store.writes";
    /** Counter of the client reads this store node answered: tag {@link #OUTCOME} (ok, not_leader, no_quorum, error). */
    public static final String STORE_READS = "chain.store.reads";
    /**
     * Counter of the writes this node's replica (its PostgreSQL schema) was given, by what the storage did: tag
     * {@link #OUTCOME}: applied, stale (applied though its token is below one seen: fencing off) or fenced (refused).
     */
    public static final String STORE_REPLICA_WRITES = "chain.store.replica.writes";
    /**
     * Counter of the writes this store node acknowledged that fewer than a majority of the replicas took (naive HA
     * acknowledges first and replicates after; a minority side's leader reaches no one): the writes at risk, lost
     * when this node's copy gives way to the other side's. Never counted under consensus (no majority, no ack).
     */
    public static final String STORE_ACKED_MINORITY = "chain.store.acked.minority";
    /** Counter of the times this store node became the leader. */
    public static final String STORE_PROMOTIONS = "chain.store.promotions";
    /** Counter of the entries a store node dropped when it took its leader's copy (writes it had, the leader had not). */
    public static final String STORE_DISCARDED = "chain.store.discarded";
    /** Gauge of the entries in this store node's replica. */
    public static final String STORE_ENTRIES = "chain.store.entries";
    /** Gauge: 1 while a fault of the split-brain lab is in force on this node: tag fault (partition, pause). */
    public static final String STORE_FAULT = "chain.store.fault";
    /**
     * Gauge of the last history check the split-brain lab posted to this node: tag {@code result} (lost, violations,
     * acked): acknowledged writes missing from the store, registers whose history is not linearizable, writes acknowledged.
     */
    public static final String STORE_CHECKER = "chain.store.checker";
    /** Tag: a node of the split-brain lab's store (store-1, store-2, store-3). */
    public static final String NODE = "node";

    /**
     * Tag: an instance of the next hop, as the registry names it (e.g. bottom-3); not
     * {@code instance}, which Prometheus sets to the scraped target.
     */
    public static final String INSTANCE = "instance_id";
    /** Tag: a Eureka client's request to the registry. */
    public static final String OPERATION = "operation";
    /** Tag: added or removed. */
    public static final String CHANGE = "change";

    /** Tag: the DNS server asked, primary or fallback. */
    public static final String SERVER = "server";
    /** Tag: a pooled connection's state, leased or available. */
    public static final String STATE = "state";

    /** Tag: a shard's number, 1 to N (shard-1 to shard-N in the topology). */
    public static final String SHARD = "shard";
    /** Tag: {@code read} (content), {@code write} (a counter's increment) or {@code count} (a counter's read). */
    public static final String OP = "op";
    /** Tag: {@code true} when a request went to its key's home shard. */
    public static final String HOME = "home";
    /** Tag: {@code true} when the key was detected hot. */
    public static final String HOT = "hot";
    /** Tag: a hot key's rank (1 = hottest). */
    public static final String RANK = "rank";
    /** Tag: a key (the top hot keys only: bounded). */
    public static final String KEY = "key";

    /** Tag: a request's priority, {@code live} or {@code batch} ({@link Priority}). */
    public static final String PRIORITY = "priority";
    /** Tag: whether a served request made its caller's deadline: met, missed, none. */
    public static final String DEADLINE = "deadline";
    /** Tag: a queue discipline ({@link Defences#QUEUE_DISCIPLINE}'s options). */
    public static final String DISCIPLINE = "discipline";

    /** Tag: hit, miss, early, stale, waited, fallback, or an error code. */
    public static final String SOURCE = "source";
    /** Tag: miss, early, refresh, fallback. */
    public static final String TRIGGER = "trigger";
    /** Tag: {@code acquired} or {@code busy}. */
    public static final String RESULT = "result";
    /** Tag: {@code allowed} or {@code denied}. */
    public static final String DECISION = "decision";
    /** Tag: {@code success}, {@code error} (downstream failed), {@code rejected} (shed here). */
    public static final String OUTCOME = "outcome";
    /** Tag: {@code first} or {@code retry}. */
    public static final String KIND = "kind";
    /** Tag: {@code queue_full} or {@code queue_timeout}. */
    public static final String REASON = "reason";
    /** Tags of a state transition. */
    public static final String FROM_STATE = "from_state";
    public static final String TO_STATE = "to_state";

    private ChainMetricNames() {
    }
}
