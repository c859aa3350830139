package dev.failurelab.chain;

/**
 * Every meter name and tag key the chain service exports; dashboards and alert rules use these
 * (in Prometheus form: dots become underscores, counters gain {@code _total}).
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
    /** Counter of requests shed by the capacity limiter; tag {@link #REASON}. */
    public static final String CAPACITY_REJECTIONS = "chain.capacity.rejections";

    /** Tag: {@code success}, {@code error} (downstream failed), {@code rejected} (shed here). */
    public static final String OUTCOME = "outcome";
    /** Tag: {@code first} or {@code retry}. */
    public static final String KIND = "kind";
    /** Tag: {@code queue_full} or {@code queue_timeout}. */
    public static final String REASON = "reason";

    private ChainMetricNames() {
    }
}
