package dev.failurelab.chain;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of one chain-service instance ({@code chain.*}). Rejects an inconsistent set at
 * start-up with a message naming the property, rather than failing on the first request.
 *
 * @param role           edge, middle, bottom or router
 * @param downstreamUrl  base URL of the next hop (through the fault proxy); required for edge and middle
 * @param client         the outbound client's timeouts
 * @param capacity       the bottom's finite capacity
 * @param bulkhead       a calling hop's outbound bulkhead
 */
@ConfigurationProperties("chain")
public record ChainProperties(
        @DefaultValue("edge") Role role,
        URI downstreamUrl,
        @DefaultValue Client client,
        @DefaultValue Capacity capacity,
        @DefaultValue Bulkhead bulkhead) {

    public ChainProperties {
        boolean calls = role == Role.EDGE || role == Role.MIDDLE;
        if (calls && downstreamUrl == null) {
            throw new IllegalArgumentException("chain.downstream-url is required for role " + role.id());
        }
        if (!calls && downstreamUrl != null) {
            throw new IllegalArgumentException("chain.downstream-url must not be set for role " + role.id()
                    + (role == Role.ROUTER ? " (its shards are chain.partition.shards)" : ""));
        }
    }

    /**
     * @param connectTimeout time allowed to open a connection to the next hop
     * @param timeout        time allowed for one attempt's response
     * @param connectionMaxLifetime the DNS lab's pooled connections: the longest a connection lives
     *                       before the next request opens (and resolves) a new one; 0s: no limit
     */
    public record Client(
            @DefaultValue("250ms") Duration connectTimeout,
            @DefaultValue("400ms") Duration timeout,
            @DefaultValue("0s") Duration connectionMaxLifetime) {

        public Client {
            requirePositive(connectTimeout, "chain.client.connect-timeout");
            requirePositive(timeout, "chain.client.timeout");
            requireNonNegative(connectionMaxLifetime, "chain.client.connection-max-lifetime");
        }
    }

    /**
     * The bottom's capacity: {@code maxConcurrency / serviceTime} requests per second at most.
     *
     * @param maxConcurrency requests in service at once
     * @param queueCapacity  requests allowed to wait for a slot
     * @param queueTimeout   longest wait for a slot before giving up with 503
     * @param serviceTime    time one request holds its slot (the work)
     */
    public record Capacity(
            @DefaultValue("4") int maxConcurrency,
            @DefaultValue("64") int queueCapacity,
            @DefaultValue("2s") Duration queueTimeout,
            @DefaultValue("40ms") Duration serviceTime) {

        public Capacity {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("chain.capacity.max-concurrency must be at least 1");
            }
            if (queueCapacity < 0) {
                throw new IllegalArgumentException("chain.capacity.queue-capacity must not be negative");
            }
            requireNonNegative(queueTimeout, "chain.capacity.queue-timeout");
            requireNonNegative(serviceTime, "chain.capacity.service-time");
        }
    }

    /**
     * A calling hop's outbound bulkhead ({@code OutboundBulkhead}).
     *
     * @param maxConcurrentCalls calls to the next hop in progress at once, each with its retries and waits
     * @param maxWait            longest wait for room before the call is refused
     */
    public record Bulkhead(
            @DefaultValue("100") int maxConcurrentCalls,
            @DefaultValue("0s") Duration maxWait) {

        public Bulkhead {
            if (maxConcurrentCalls < 1) {
                throw new IllegalArgumentException("chain.bulkhead.max-concurrent-calls must be at least 1");
            }
            requireNonNegative(maxWait, "chain.bulkhead.max-wait");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void requireNonNegative(Duration value, String name) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
