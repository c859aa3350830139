package dev.failurelab.chain.discovery;

import com.netflix.discovery.EurekaClient;
import com.netflix.discovery.EurekaClientConfig;
import com.netflix.eureka.EurekaServerConfig;
import com.netflix.eureka.resources.ServerCodecs;
import com.netflix.eureka.transport.EurekaServerHttpClientFactory;
import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.defence.OptionDefence;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defences;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;
import org.springframework.cloud.netflix.eureka.server.InstanceRegistryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Role {@code registry}: a Spring Cloud Netflix Eureka server (its REST API under {@code /eureka},
 * its dashboard on {@code /}), whose registry is {@link LabInstanceRegistry}; the defence
 * {@code /admin/self-preservation} (off|on) on the management port. Eureka's settings are in
 * {@code chain-service.yml} (its clocks, compressed for the lab).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(ChainServiceApplication.IS_REGISTRY)
@EnableEurekaServer
public class RegistryConfiguration {

    /** The name of the registry bean Spring Cloud defines, which the lab's replaces. */
    static final String REGISTRY_BEAN = "peerAwareInstanceRegistry";

    /**
     * Replaces Spring Cloud's registry bean (not conditional on a missing bean) with the lab's, made by
     * {@link #labInstanceRegistry}; every other part of the Eureka server stays Spring Cloud's.
     */
    @Bean
    static BeanDefinitionRegistryPostProcessor labInstanceRegistryDefinition() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                if (registry.containsBeanDefinition(REGISTRY_BEAN)) {
                    registry.removeBeanDefinition(REGISTRY_BEAN);
                }
                RootBeanDefinition definition = new RootBeanDefinition();
                definition.setFactoryBeanName("registryConfiguration");
                definition.setFactoryMethodName("labInstanceRegistry");
                definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
                registry.registerBeanDefinition(REGISTRY_BEAN, definition);
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
                // nothing: the definition is all
            }
        };
    }

    /** The factory method of the registry bean (see {@link #labInstanceRegistryDefinition}). */
    public LabInstanceRegistry labInstanceRegistry(EurekaServerConfig serverConfig, EurekaClientConfig clientConfig,
            ServerCodecs codecs, EurekaClient client, EurekaServerHttpClientFactory httpClients,
            InstanceRegistryProperties properties, @Qualifier("selfPreservation") OptionDefence selfPreservation,
            @Value("${chain.registry.renewal-window}") Duration renewalWindow, MeterRegistry meters) {
        client.getApplications(); // as Spring Cloud's: the server's own client is started first
        LabInstanceRegistry registry = new LabInstanceRegistry(serverConfig, clientConfig, codecs, client, httpClients,
                properties.getExpectedNumberOfClientsSendingRenews(), properties.getDefaultOpenForTrafficCount(),
                new RenewalWindow(renewalWindow, System::nanoTime), () -> "on".equals(selfPreservation.current()),
                meters);
        Gauge.builder(ChainMetricNames.REGISTRY_INSTANCES, registry,
                r -> r.getApplicationsFromLocalRegionOnly().getRegisteredApplications().stream()
                        .mapToInt(app -> app.getInstances().size()).sum())
                .description("Instances registered with the registry").register(meters);
        return registry;
    }

    @Bean
    OptionDefence selfPreservation(@Value("${eureka.server.enable-self-preservation:true}") boolean enabled) {
        return new OptionDefence(Defences.SELF_PRESERVATION, enabled ? "on" : "off",
                "eureka.server.enable-self-preservation", Map.of());
    }
}
