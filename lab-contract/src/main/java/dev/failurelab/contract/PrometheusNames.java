package dev.failurelab.contract;

/**
 * A meter's Prometheus names from its dotted Micrometer name, as the Prometheus registry writes
 * them: dots become underscores, a counter gains {@code _total}, a timer exports
 * {@code _seconds_count}, {@code _seconds_sum} and {@code _seconds_bucket}.
 *
 * <p>Thread-safe: stateless.
 */
public final class PrometheusNames {

    private PrometheusNames() {
    }

    /** {@code chain.capacity.queue.depth} → {@code chain_capacity_queue_depth}. */
    public static String gauge(String dotted) {
        return base(dotted);
    }

    /** {@code chain.client.attempts} → {@code chain_client_attempts_total}. */
    public static String counter(String dotted) {
        return base(dotted) + "_total";
    }

    /** {@code chain.requests} → {@code chain_requests_seconds_count}. */
    public static String timerCount(String dotted) {
        return base(dotted) + "_seconds_count";
    }

    /** {@code chain.requests} → {@code chain_requests_seconds_sum}. */
    public static String timerSum(String dotted) {
        return base(dotted) + "_seconds_sum";
    }

    /** {@code chain.requests} → {@code chain_requests_seconds_bucket}. */
    public static String timerBucket(String dotted) {
        return base(dotted) + "_seconds_bucket";
    }

    /** The name without a type suffix: dots, dashes and other separators become underscores. */
    public static String base(String dotted) {
        return dotted.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}
