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
