package dev.failurelab.chain.partition;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.defence.DefenceImplementation;
import dev.failurelab.chain.defence.OptionDefence;
import dev.failurelab.chain.overload.OnOffDefence;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The router's beans (role {@code router}): its client, its three defences and the router itself. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(ChainServiceApplication.IS_ROUTER)
@EnableConfigurationProperties(PartitionProperties.class)
class PartitionConfiguration {

    @Bean
    ShardClient shardClient(PartitionProperties properties) {
        if (properties.shards().isEmpty()) {
            throw new IllegalArgumentException("chain.partition.shards is required for role router (the shards' base"
                    + " URLs, comma-separated)");
        }
        return new ShardClient(properties.shards(), properties.connectTimeout(), properties.shardTimeout());
    }

    @Bean
    OptionDefence partitionRouting(PartitionProperties properties) {
        return new OptionDefence(Defences.PARTITION_ROUTING, properties.routing(), "chain.partition.routing",
                java.util.Map.of("boundImplementation", DefenceImplementation.isReference(properties.bound()
                        .implementation()) ? DefenceImplementation.REFERENCE : properties.bound().implementation().trim()));
    }

    @Bean
    OptionDefence hotKeys(PartitionProperties properties) {
        return new OptionDefence(Defences.HOT_KEYS, properties.hotKeys(), "chain.partition.hot-keys",
                java.util.Map.of());
    }

    @Bean
    OnOffDefence writeSharding(PartitionProperties properties) {
        return new OnOffDefence(Defences.WRITE_SHARDING, properties.writeSharding(), "chain.partition.write-sharding");
    }

    @Bean
    PartitionRouter partitionRouter(PartitionProperties properties, ShardClient client,
            @Qualifier("partitionRouting") OptionDefence routing, @Qualifier("hotKeys") OptionDefence hotKeys,
            OnOffDefence writeSharding, MeterRegistry registry) {
        return new PartitionRouter(properties, client, routing, hotKeys, writeSharding, registry);
    }
}
