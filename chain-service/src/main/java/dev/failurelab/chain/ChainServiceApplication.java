package dev.failurelab.chain;

import dev.failurelab.chain.admin.AdminEndpoint;
import dev.failurelab.chain.capacity.BoundedWorker;
import dev.failurelab.chain.capacity.CapacityCut;
import dev.failurelab.chain.capacity.QueueDisciplineDefence;
import dev.failurelab.chain.capacity.WaitLimit;
import dev.failurelab.chain.client.DownstreamClient;
import dev.failurelab.chain.client.OutboundBulkhead;
import dev.failurelab.chain.defence.SwitchableDefence;
import dev.failurelab.chain.overload.AdaptiveShedding;
import dev.failurelab.chain.overload.BreakerProperties;
import dev.failurelab.chain.overload.DeadlinePropagation;
import dev.failurelab.chain.overload.Degradation;
import dev.failurelab.chain.overload.OutboundGuard;
import dev.failurelab.chain.overload.ThrottleProperties;
import dev.failurelab.chain.retry.RetryPolicyDefence;
import dev.failurelab.chain.retry.RetryProperties;
import dev.failurelab.chain.retry.RetrySettings;
import dev.failurelab.chain.retry.RetryThrottle;
import dev.failurelab.chain.retry.RetryingCaller;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The chain service: one app, run as edge, middle or bottom ({@code chain.role}). Its defaults are
 * in {@code chain-service.yml}, so that several roles (and the fault injector) can share one JVM
 * and one classpath without reading each other's configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
// The admin API lives on the management port (ManagementEndpoints), not in this scan.
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = {AdminEndpoint.class,
                ManagementContextConfiguration.class})})
@EnableConfigurationProperties({ChainProperties.class, RetryProperties.class, BreakerProperties.class,
        ThrottleProperties.class})
public class ChainServiceApplication {

    /** Condition of the beans of a hop that calls a next hop (edge, middle). */
    public static final String CALLS_DOWNSTREAM = "{'edge','middle'}.contains('${chain.role:edge}'.toLowerCase())";
    /** Condition of the beans of the edge, which answers the load. */
    public static final String IS_EDGE = "'${chain.role:edge}'.toLowerCase() == 'edge'";
    /** Condition of the beans of the bottom, which does the work. */
    public static final String IS_BOTTOM = "'${chain.role:edge}'.toLowerCase() == 'bottom'";
    /** Condition of the beans of the partition router (the hot-partition lab's). */
    public static final String IS_ROUTER = "'${chain.role:edge}'.toLowerCase() == 'router'";
    /** Condition of the beans of the registry (the service-discovery lab's Eureka server). */
    public static final String IS_REGISTRY = "'${chain.role:edge}'.toLowerCase() == 'registry'";
    /** Condition of the beans of a node of the split-brain lab's replicated store. */
    public static final String IS_STORE = "'${chain.role:edge}'.toLowerCase() == 'store'";
    /** Condition of the beans of a hop of the chain ({@code /api/chain}): every role but the router, the registry and a store node. */
    public static final String IS_CHAIN_HOP = "!{'router','registry','store'}.contains('${chain.role:edge}'.toLowerCase())";

    /** Name of this app's configuration file ({@code chain-service.yml}). */
    public static final String CONFIG_NAME = "chain-service";

    /** A builder for this app with its own configuration file; add properties to set the role. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ChainServiceApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }

    /** When this instance started: a restart (of the instance, or of its process) changes it. */
    @Bean
    io.micrometer.core.instrument.binder.MeterBinder instanceStartTime() {
        double started = System.currentTimeMillis() / 1000.0;
        return registry -> io.micrometer.core.instrument.Gauge.builder(
                dev.failurelab.contract.ChainMetricNames.INSTANCE_START_TIME, () -> started)
                .description("when this instance started, in seconds since the epoch").register(registry);
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    DownstreamClient downstreamClient(ChainProperties properties, MeterRegistry registry,
            org.springframework.beans.factory.ObjectProvider<dev.failurelab.chain.client.Transport> transports) {
        // A transport of the hop's own, if it has one: with a DNS server of its own (the DNS lab), a pool that
        // resolves through it; with a registry (the service-discovery lab), the instances found there.
        dev.failurelab.chain.client.Transport own = transports.getIfAvailable();
        return own != null
                ? new DownstreamClient(properties.downstreamUrl(), own, properties.client().timeout(), registry)
                : new DownstreamClient(properties.downstreamUrl(), properties.client().connectTimeout(),
                        properties.client().timeout(), registry);
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    RetryingCaller retryingCaller(DownstreamClient client, RetryProperties retry, OutboundGuard guard,
            DeadlinePropagation deadlines, MeterRegistry registry) {
        return new RetryingCaller(client, retry, RetryThrottle.factory(retry.budgetImplementation()), guard, deadlines,
                registry);
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    OutboundGuard outboundGuard(BreakerProperties breaker, ThrottleProperties throttle, MeterRegistry registry) {
        return new OutboundGuard(breaker, throttle, registry);
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    SwitchableDefence circuitBreakerDefence(OutboundGuard guard) {
        return guard.breakerDefence();
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    SwitchableDefence adaptiveThrottleDefence(OutboundGuard guard) {
        return guard.throttleDefence();
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    DeadlinePropagation deadlines(@Value("${chain.deadlines.mode:off}") String mode,
            @Value("${chain.deadlines.default:2s}") java.time.Duration defaultDeadline) {
        return new DeadlinePropagation(mode, defaultDeadline);
    }

    @Bean
    @ConditionalOnExpression(IS_EDGE)
    Degradation degradation(@Value("${chain.degradation.mode:off}") String mode, MeterRegistry registry) {
        return new Degradation(mode, registry);
    }

    @Bean
    @ConditionalOnExpression(IS_BOTTOM)
    AdaptiveShedding adaptiveShedding(@Value("${chain.shedding.mode:off}") String mode,
            @Value("${chain.shedding.initial-limit:8}") int initialLimit,
            @Value("${chain.shedding.max-limit:200}") int maxLimit, MeterRegistry registry) {
        return new AdaptiveShedding(mode, initialLimit, maxLimit, registry);
    }

    @Bean
    @ConditionalOnExpression(IS_BOTTOM)
    CapacityCut capacityCut(MeterRegistry registry) {
        return new CapacityCut(System::nanoTime, registry);
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    RetrySettings retrySettings(DownstreamClient client, RetryingCaller caller) {
        return new RetrySettings(client, caller);
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    OutboundBulkhead outboundBulkhead(ChainProperties properties, MeterRegistry registry) {
        return new OutboundBulkhead(properties.bulkhead().maxConcurrentCalls(), properties.bulkhead().maxWait(), registry);
    }

    @Bean
    @ConditionalOnExpression(CALLS_DOWNSTREAM)
    RetryPolicyDefence retryPolicyDefence(RetryingCaller caller) {
        return new RetryPolicyDefence(caller);
    }

    @Bean
    @ConditionalOnExpression(IS_BOTTOM)
    BoundedWorker boundedWorker(ChainProperties properties, CapacityCut cut, QueueDisciplineDefence discipline,
            @Value("${chain.shedding.initial-limit:8}") int initialLimit,
            @Value("${chain.shedding.max-limit:200}") int maxLimit, MeterRegistry registry) {
        ChainProperties.Capacity capacity = properties.capacity();
        return new BoundedWorker(capacity.maxConcurrency(), capacity.queueCapacity(), capacity.queueTimeout(),
                capacity.serviceTime(), cut, discipline, initialLimit, maxLimit, registry);
    }

    @Bean
    @ConditionalOnExpression(IS_BOTTOM)
    dev.failurelab.chain.partition.ShardStore shardStore(@Value("${chain.shard.number:1}") int number,
            @Value("${chain.shard.local-keys:2000}") int localKeys, MeterRegistry registry) {
        return new dev.failurelab.chain.partition.ShardStore(number, localKeys, registry);
    }

    @Bean
    @ConditionalOnExpression(IS_BOTTOM)
    QueueDisciplineDefence queueDiscipline(@Value("${chain.queue.discipline:fifo}") String discipline,
            @Value("${chain.queue.codel-target:5ms}") java.time.Duration codelTarget,
            @Value("${chain.queue.codel-interval:100ms}") java.time.Duration codelInterval,
            @Value("${chain.queue.codel.implementation:reference}") String implementation) {
        return new QueueDisciplineDefence(discipline, codelTarget, codelInterval, WaitLimit.factory(implementation));
    }
}
