package dev.failurelab.chain.cache;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the hot key's cache when {@code chain.cache.enabled}: Lettuce (fail fast while Redis is
 * down, reconnect within a second of its return), a Hikari pool to PostgreSQL with its meters,
 * the origin (seeded at start) and the {@link StampedeGuard}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(CacheConfiguration.ENABLED)
@EnableConfigurationProperties(CacheProperties.class)
public class CacheConfiguration {

    /** The property that turns the cache on. */
    public static final String ENABLED = "chain.cache.enabled";

    private static final Logger LOG = LoggerFactory.getLogger(CacheConfiguration.class);

    @Bean(destroyMethod = "shutdown")
    ClientResources redisClientResources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(CacheProperties properties, ClientResources resources) {
        RedisURI uri = RedisURI.create(properties.redis().url());
        uri.setTimeout(properties.redis().timeout());
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                // While disconnected, commands fail at once instead of queueing until the timeout:
                // a read falls back to the origin without waiting for a Redis that is not there.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.redis().timeout()))
                .build());
        return client;
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
        return client.connect();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource originDataSource(CacheProperties properties, MeterRegistry registry) {
        CacheProperties.Postgres postgres = properties.postgres();
        HikariConfig config = new HikariConfig();
        config.setPoolName("origin");
        config.setJdbcUrl(postgres.url());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(postgres.poolSize());
        config.setMinimumIdle(postgres.poolSize());
        config.setConnectionTimeout(postgres.connectionTimeout().toMillis());
        String initSql = "SET statement_timeout = " + postgres.statementTimeout().toMillis();
        if (properties.origin().parallelWorkers() >= 0) {
            initSql += "; SET max_parallel_workers_per_gather = " + properties.origin().parallelWorkers();
        }
        config.setConnectionInitSql(initSql);
        // Bounded waits even when PostgreSQL stops answering mid-connection.
        config.addDataSourceProperty("connectTimeout", Math.max(1, postgres.connectionTimeout().toSeconds()));
        config.addDataSourceProperty("socketTimeout", postgres.statementTimeout().toSeconds() + 5);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new HikariDataSource(config);
    }

    @Bean
    TopProductsOrigin topProductsOrigin(CacheProperties properties, HikariDataSource dataSource,
            MeterRegistry registry) throws SQLException {
        TopProductsOrigin origin = new TopProductsOrigin(dataSource, properties.origin().scanRows(),
                properties.origin().hold(), registry);
        long inserted = origin.seed(properties.origin().seedRows());
        LOG.info("cache of '{}' on {} (redis) and {} (postgres, {} orders seeded now, query scans {}), strategy {}",
                properties.key(), properties.redis().url(), properties.postgres().url(), inserted,
                properties.origin().scanRows(), properties.strategy());
        return origin;
    }

    @Bean(destroyMethod = "close")
    StampedeGuard stampedeGuard(CacheProperties properties, RedisClient client,
            StatefulRedisConnection<String, String> connection, MeterRegistry registry) {
        // The subscription's connection is closed with the client.
        RecomputeLock lock = RecomputeLock.factory(properties.lock().implementation()).apply(connection.sync());
        return new StampedeGuard(connection.sync(), client.connectPubSub(), lock, properties.guardSettings(),
                properties.initialStrategy(),
                System::currentTimeMillis, () -> ThreadLocalRandom.current().nextDouble(), registry);
    }

    @Bean
    CacheSettings cacheSettings(CacheProperties properties, StampedeGuard guard, TopProductsOrigin origin,
            HikariDataSource dataSource) {
        return new CacheSettings(guard, origin, dataSource, properties.postgres().statementTimeout());
    }

    @Bean
    CacheStrategyDefence cacheStrategyDefence(StampedeGuard guard, CacheProperties properties) {
        return new CacheStrategyDefence(guard, properties.lock().implementation());
    }
}
