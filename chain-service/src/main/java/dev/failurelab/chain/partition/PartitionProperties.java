package dev.failurelab.chain.partition;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The router's configuration ({@code chain.partition.*}, see {@code chain-service.yml}).
 *
 * @param shards          the shards' base URLs, shard 0 first (required for role router)
 * @param routing         the read placement at start ({@code modulo}, {@code consistent}, {@code bounded-load})
 * @param hotKeys         the hot-key strategy at start ({@code none}, {@code coalesce}, {@code cache})
 * @param writeSharding   write sharding at start ({@code off}, {@code on})
 * @param balanceFactor   bounded-load hashing's ε: no shard above (1 + ε) times the average in flight
 * @param virtualNodes    points per shard on the hash ring
 * @param hotKeyCounters  keys the hot-key detector counts at once (Space-Saving)
 * @param hotKeyWindow    the detector's window
 * @param hotKeyMinShare  the share of a window's requests that makes a key hot
 * @param cacheTtl        how long the hot-key cache keeps an answer
 * @param writeShards     k: the sub-keys a hot key's writes are spread over
 * @param shardTimeout    the time allowed for one shard call
 * @param connectTimeout  the time allowed to open a connection to a shard
 * @param bound           bounded-load hashing's test: {@code implementation}, the project's
 *                        ({@code reference}) or the class of the hot-partition exercise
 */
@ConfigurationProperties("chain.partition")
public record PartitionProperties(
        @DefaultValue List<URI> shards,
        @DefaultValue("consistent") String routing,
        @DefaultValue("none") String hotKeys,
        @DefaultValue("off") String writeSharding,
        @DefaultValue("0.25") double balanceFactor,
        @DefaultValue("160") int virtualNodes,
        @DefaultValue("64") int hotKeyCounters,
        @DefaultValue("1s") Duration hotKeyWindow,
        @DefaultValue("0.02") double hotKeyMinShare,
        @DefaultValue("1s") Duration cacheTtl,
        @DefaultValue("16") int writeShards,
        @DefaultValue("2s") Duration shardTimeout,
        @DefaultValue("250ms") Duration connectTimeout,
        @DefaultValue Bound bound) {

    /** The property that names bounded-load hashing's test. */
    public static final String BOUND_IMPLEMENTATION = "chain.partition.bound.implementation";

    /** @param implementation {@code reference}, or a class implementing {@link LoadBound} */
    public record Bound(@DefaultValue("reference") String implementation) {
    }
}
