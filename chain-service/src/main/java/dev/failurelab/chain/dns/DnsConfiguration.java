package dev.failurelab.chain.dns;

import dev.failurelab.chain.ChainProperties;
import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.DaemonThreads;
import dev.failurelab.chain.defence.DefenceImplementation;
import dev.failurelab.chain.defence.OptionDefence;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A calling hop's own name resolution, when {@code chain.dns.server} is set (the DNS lab's hops):
 * the resolver, the pooled transport that uses it, their live settings, meters and two defences.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(DnsConfiguration.RESOLVES_THROUGH_LAB_DNS)
@EnableConfigurationProperties(DnsProperties.class)
public class DnsConfiguration {

    /** Condition: a calling hop with a DNS server of its own. */
    public static final String RESOLVES_THROUGH_LAB_DNS = ChainServiceApplication.CALLS_DOWNSTREAM
            + " && '${chain.dns.server:}' != ''";

    @Bean
    OptionDefence serveStale(DnsProperties properties) {
        return new OptionDefence(Defences.SERVE_STALE, properties.serveStale(), "chain.dns.serve-stale",
                Map.of("stalePolicy", DefenceImplementation.isReference(properties.stalePolicy())
                        ? DefenceImplementation.REFERENCE : properties.stalePolicy().trim()));
    }

    @Bean
    OptionDefence dnsFallback(DnsProperties properties) {
        return new OptionDefence(Defences.DNS_FALLBACK, properties.fallback(), "chain.dns.fallback",
                properties.fallbackServer() == null ? Map.of() : Map.of("fallbackServer", properties.fallbackServer()));
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService dnsQueries() {
        return Executors.newCachedThreadPool(DaemonThreads.named("dns-query"));
    }

    @Bean
    LabResolver labResolver(DnsProperties properties, @Qualifier("serveStale") OptionDefence serveStale,
            @Qualifier("dnsFallback") OptionDefence fallback, @Qualifier("dnsQueries") ExecutorService queries,
            MeterRegistry registry) {
        boolean hasFallback = properties.fallbackServer() != null && !properties.fallbackServer().isBlank();
        return new LabResolver(DnsWire.dnsjava(), DnsProperties.address(properties.server(), "chain.dns.server"),
                hasFallback ? DnsProperties.address(properties.fallbackServer(), "chain.dns.fallback-server") : null,
                properties.settings(), () -> LabResolver.StaleMode.of(serveStale.current()),
                () -> "on".equals(fallback.current()), StalePolicy.of(properties.stalePolicy()), queries, System::nanoTime, new DnsMeters(registry, hasFallback));
    }

    @Bean(destroyMethod = "close")
    PooledTransport pooledTransport(LabResolver resolver, ChainProperties chain, MeterRegistry registry) {
        PooledTransport transport = new PooledTransport(resolver, chain.client().connectTimeout(),
                chain.client().connectionMaxLifetime());
        Gauge.builder(ChainMetricNames.CLIENT_CONNECTIONS, transport, t -> t.stats().getLeased())
                .description("Pooled connections to the next hop, by state").tag(ChainMetricNames.STATE, "leased")
                .register(registry);
        Gauge.builder(ChainMetricNames.CLIENT_CONNECTIONS, transport, t -> t.stats().getAvailable())
                .description("Pooled connections to the next hop, by state").tag(ChainMetricNames.STATE, "available")
                .register(registry);
        return transport;
    }

    @Bean
    DnsSettings dnsSettings(LabResolver resolver, PooledTransport transport) {
        return new DnsSettings(resolver, transport);
    }
}
