package dev.failurelab.chain.store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A node of the split-brain lab's store ({@code chain.role=store}): its name, its peers, the
 * ZooKeeper ensemble it elects a leader on, the PostgreSQL it keeps its replica in, and its clocks.
 *
 * @param node               this node's name (store-1)
 * @param peers              the other nodes: name to base URL of their app port
 * @param zookeeper          the ensemble's connect string (host:port,host:port,...)
 * @param postgres           the PostgreSQL of the replicas (each node its own schema)
 * @param heartbeatInterval  how often a leader tells its followers it leads (and a node checks its state)
 * @param leaderTimeout      naive mode: a follower that has heard no leader for this long promotes itself
 *                           (plus {@code promotionStagger} per place after the first in the node order)
 * @param promotionStagger   naive mode: each standby waits this much longer than the one before it
 * @param sessionTimeout     the ZooKeeper session's timeout: how long a silent leader keeps its leadership
 * @param peerTimeout        a call to a peer (replicate, confirm, fetch) gives up after this
 * @param leadership         the leadership mode at start (naive, consensus)
 * @param fencing            whether the storage refuses lower fencing tokens at start (off, on)
 * @param quorum             consensus: when a write is committed, {@code reference} (a majority) or the class
 *                           of the split-brain exercise's {@link WriteQuorum}
 */
@ConfigurationProperties("chain.store")
public record StoreProperties(String node, Map<String, String> peers, String zookeeper, Postgres postgres,
        Duration heartbeatInterval, Duration leaderTimeout, Duration promotionStagger, Duration sessionTimeout,
        Duration peerTimeout, String leadership, String fencing, String quorum) {

    /** The replicas' PostgreSQL. */
    public record Postgres(String url, String user, String password) {
    }

    public StoreProperties {
        // The clocks' and the defences' values are chain-service.yml's (chain.store.*).
        peers = peers == null ? Map.of() : new LinkedHashMap<>(peers);
    }
}
