package dev.failurelab.fault;

import dev.failurelab.fault.control.FaultSpecParser;
import dev.failurelab.fault.dns.DnsService;
import dev.failurelab.fault.dns.DnsZone;
import dev.failurelab.fault.proxy.ProxyRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The fault injector: named HTTP proxies that inject faults, and the control API on port 8474.
 * Its defaults are in {@code fault-injector.yml}.
 */
@SpringBootApplication
@EnableConfigurationProperties(FaultInjectorProperties.class)
public class FaultInjectorApplication {

    /** Name of this app's configuration file ({@code fault-injector.yml}). */
    public static final String CONFIG_NAME = "fault-injector";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(FaultInjectorApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The control API's event loops, its own: Reactor Netty's global ones are shared by every
     * injector in the JVM (two topologies, a restart), and the first context to close disposes them
     * under the others.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        return resources;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    ProxyRegistry proxyRegistry(FaultInjectorProperties properties, MeterRegistry registry, Clock clock) {
        ProxyRegistry proxies = new ProxyRegistry(properties, registry, clock);
        try {
            for (FaultInjectorProperties.ProxyDefinition definition : properties.proxies()) {
                proxies.create(definition.name(), definition.listen(), definition.upstream());
            }
        } catch (RuntimeException e) {
            proxies.close();
            throw new IllegalStateException("fault-injector.proxies: " + e.getMessage(), e);
        }
        return proxies;
    }

    /** The lab's DNS servers, if {@code fault-injector.dns.port} is set. */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("fault-injector.dns.port")
    DnsService dnsService(FaultInjectorProperties properties, MeterRegistry registry, Clock clock) {
        FaultInjectorProperties.Dns dns = properties.dns();
        return new DnsService(new DnsZone(dns.zone(), dns.ttl(), dns.records()), properties.listenAddress(), dns.port(),
                dns.fallbackPort(), registry, clock);
    }

    @Bean
    FaultSpecParser faultSpecParser(FaultInjectorProperties properties) {
        return new FaultSpecParser(properties.defaultTtl(), properties.maxTtl(), properties.maxHold());
    }
}
