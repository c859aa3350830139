package dev.failurelab.chain.discovery;

import com.netflix.discovery.EurekaClient;
import dev.failurelab.chain.ChainProperties;
import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.client.Transport;
import dev.failurelab.chain.defence.DefenceImplementation;
import dev.failurelab.chain.defence.OptionDefence;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.web.client.RestClient;

/**
 * The service-discovery lab's Eureka clients (where {@code eureka.client.enabled}): every one counts
 * its requests to the registry on Spring's RestClient ({@link RegistryRequests}); a bottom carries the
 * lab's instance faults ({@link InstanceFaults}: kill, health flap); a calling hop with
 * {@code chain.discovery.service} calls its next hop's instances through {@link DiscoveryTransport}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "eureka.client.enabled", havingValue = "true")
@EnableConfigurationProperties(DiscoveryProperties.class)
public class DiscoveryConfiguration {

    /** The RestClient the Eureka client's transport is built on (Spring Cloud asks for one). */
    @Bean
    @Scope("prototype")
    RestClient.Builder eurekaRestClientBuilder(MeterRegistry meters, ObjectProvider<InstanceFaults> faults) {
        return RestClient.builder().requestInterceptor(new RegistryRequests(meters, () -> {
            InstanceFaults instance = faults.getIfAvailable();
            return instance != null && instance.killed();
        }));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(ChainServiceApplication.IS_BOTTOM)
    static class Instance {

        @Bean(destroyMethod = "close")
        InstanceFaults instanceFaults(MeterRegistry meters) {
            return new InstanceFaults(System::nanoTime, meters);
        }

        /** A stopped connector unbinds its port (Tomcat binds at init and keeps it, by default). */
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> unbindOnStop() {
            return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("bindOnInit", "false"));
        }

        @Bean
        ApplicationListener<ServletWebServerInitializedEvent> instanceConnector(InstanceFaults faults) {
            return event -> {
                // The instance's own port, not the management port's (a child context of its own).
                if (event.getApplicationContext().getServerNamespace() == null
                        && event.getWebServer() instanceof TomcatWebServer tomcat) {
                    Connector connector = tomcat.getTomcat().getConnector();
                    faults.connector(connector);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(ChainServiceApplication.CALLS_DOWNSTREAM + " && '${chain.discovery.service:}' != ''")
    static class Caller {

        @Bean
        OptionDefence registryCache(DiscoveryProperties properties) {
            return new OptionDefence(Defences.REGISTRY_CACHE, properties.registryCache(), "chain.discovery.registry-cache",
                    Map.of("maxRegistryAge", properties.maxRegistryAge().toMillis() + "ms"));
        }

        @Bean
        OptionDefence instanceRetry(DiscoveryProperties properties) {
            return new OptionDefence(Defences.INSTANCE_RETRY, properties.instanceRetry(),
                    "chain.discovery.instance-retry", Map.of());
        }

        @Bean
        OptionDefence outlierEjection(DiscoveryProperties properties) {
            return new OptionDefence(Defences.OUTLIER_EJECTION, properties.outlierEjection(),
                    "chain.discovery.outlier-ejection", Map.of("consecutiveErrors", properties.consecutiveErrors(),
                            "baseEjectionTime", properties.baseEjectionTime().toMillis() + "ms",
                            "maxEjectionShare", properties.maxEjectionShare()));
        }

        @Bean
        OptionDefence healthChecks(DiscoveryProperties properties) {
            return new OptionDefence(Defences.HEALTH_CHECKS, properties.healthChecks(), "chain.discovery.health-checks",
                    Map.of("interval", properties.healthInterval().toMillis() + "ms", "fall", properties.healthFall(),
                            "rise", properties.healthRise(), "healthPolicy",
                            DefenceImplementation.isReference(properties.healthPolicy())
                                    ? DefenceImplementation.REFERENCE : properties.healthPolicy().trim()));
        }

        @Bean(destroyMethod = "close")
        InstanceBalancer instanceBalancer(DiscoveryProperties properties, DiscoveryClient discovery,
                EurekaClient eureka, @Qualifier("registryCache") OptionDefence cache,
                @Qualifier("healthChecks") OptionDefence health, @Qualifier("outlierEjection") OptionDefence ejection,
                MeterRegistry meters) {
            InstanceBalancer.Registry registry = new InstanceBalancer.Registry() {
                @Override
                public List<InstanceBalancer.Endpoint> instances() {
                    return discovery.getInstances(properties.service()).stream().map(DiscoveryConfiguration::endpoint)
                            .toList();
                }

                @Override
                public long ageMillis() {
                    return eureka instanceof com.netflix.discovery.DiscoveryClient client
                            ? client.getLastSuccessfulRegistryFetchTimePeriod() : -1;
                }
            };
            return new InstanceBalancer(registry, new InstanceBalancer.Settings(() -> "keep".equals(cache.current()),
                    properties.maxRegistryAge(), health::current, properties.healthInterval(),
                    properties.healthTimeout(), properties.healthFall(), properties.healthRise(),
                    HealthPolicy.of(properties.healthPolicy()), () -> "on".equals(ejection.current()), properties.consecutiveErrors(),
                    properties.baseEjectionTime(), properties.maxEjectionTime(), properties.maxEjectionShare()),
                    System::nanoTime, meters).start();
        }

        @Bean
        Transport discoveryTransport(DiscoveryProperties properties, ChainProperties chain, InstanceBalancer balancer,
                @Qualifier("instanceRetry") OptionDefence retry, MeterRegistry meters) {
            return new DiscoveryTransport(Transport.jdk(chain.client().connectTimeout()), properties.service(), balancer,
                    () -> "on".equals(retry.current()), meters);
        }
    }

    /** An instance as the balancer sees it: its health on its management port, if it has one apart. */
    static InstanceBalancer.Endpoint endpoint(ServiceInstance instance) {
        String managementPort = instance.getMetadata().getOrDefault("management.port",
                String.valueOf(instance.getPort()));
        URI health = URI.create("http://" + instance.getHost() + ":" + managementPort + "/actuator/health");
        return new InstanceBalancer.Endpoint(instance.getInstanceId(), instance.getUri(), health);
    }
}
