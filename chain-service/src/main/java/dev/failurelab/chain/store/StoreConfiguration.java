package dev.failurelab.chain.store;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.defence.DefenceImplementation;
import dev.failurelab.chain.defence.OptionDefence;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The split-brain lab's store node ({@code chain.role=store}): its replica in PostgreSQL, its link to
 * the ZooKeeper ensemble (through a relay a partition can cut), its Curator client, its faults, and
 * the two defences it switches live, {@code leadership} and {@code fencing}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(ChainServiceApplication.IS_STORE)
@EnableConfigurationProperties(StoreProperties.class)
public class StoreConfiguration {

    @Bean
    OptionDefence leadership(StoreProperties properties) {
        return new OptionDefence(Defences.LEADERSHIP, properties.leadership(), "chain.store.leadership",
                Map.of("leaderTimeout", properties.leaderTimeout().toMillis() + "ms", "sessionTimeout",
                        properties.sessionTimeout().toMillis() + "ms", "quorum",
                        DefenceImplementation.isReference(properties.quorum()) ? "majority" : properties.quorum()));
    }

    @Bean
    OptionDefence fencing(StoreProperties properties) {
        return new OptionDefence(Defences.FENCING, properties.fencing(), "chain.store.fencing", Map.of());
    }

    @Bean(destroyMethod = "close")
    Replica replica(StoreProperties properties) {
        if (properties.node() == null || properties.postgres() == null || properties.postgres().url() == null) {
            throw new IllegalStateException("a store node needs chain.store.node and chain.store.postgres.url");
        }
        return new Replica(properties.postgres(), properties.node());
    }

    @Bean(destroyMethod = "close")
    ZooKeeperRelay zooKeeperRelay(StoreProperties properties) {
        if (properties.zookeeper() == null || properties.zookeeper().isBlank()) {
            throw new IllegalStateException("a store node needs chain.store.zookeeper (the ensemble's connect string)");
        }
        return new ZooKeeperRelay(properties.zookeeper());
    }

    @Bean(destroyMethod = "close")
    StoreFaults storeFaults(StoreProperties properties, ZooKeeperRelay relay, MeterRegistry meters) {
        return new StoreFaults(properties.peers().keySet(), relay, System::nanoTime, meters);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    CuratorFramework curator(StoreProperties properties, ZooKeeperRelay relay) {
        int session = (int) properties.sessionTimeout().toMillis();
        // No ensemble tracker: it would swap the relays for the servers' own addresses (from /zookeeper/config),
        // and a partition would no longer reach the node's session.
        return CuratorFrameworkFactory.builder().connectString(relay.connectString()).sessionTimeoutMs(session)
                .connectionTimeoutMs(Math.max(500, session / 2)).retryPolicy(new RetryForever(100))
                .ensembleTracker(false).build();
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    StoreNode storeNode(StoreProperties properties, Replica replica, OptionDefence leadership, OptionDefence fencing,
            StoreFaults faults, CuratorFramework curator, MeterRegistry meters) {
        Map<String, URI> peers = new LinkedHashMap<>();
        properties.peers().forEach((name, url) -> peers.put(name, URI.create(url)));
        PeerClient client = new PeerClient(properties.node(), peers, faults, properties.peerTimeout());
        return new StoreNode(properties, replica, leadership, fencing, faults, client, curator,
                WriteQuorum.of(properties.quorum()), System::nanoTime, meters);
    }
}
