package dev.failurelab.chain.admin;

import org.apache.coyote.AbstractProtocol;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The management server's own small thread pool ({@code chain.management.threads}, default 8): its
 * Tomcat would otherwise take the application's {@code server.tomcat.threads.*}. Scrapes and admin
 * calls are short, so a few threads serve them; what matters is that they are not the threads a
 * storm fills.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
// Only in the chain service (other apps of an embedded topology share this classpath).
@ConditionalOnProperty(name = "spring.application.name", havingValue = "chain-service")
public class ManagementServerThreads {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementThreads(
            @Value("${chain.management.threads:8}") int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("chain.management.threads must be between 1 and 64, got " + threads);
        }
        return new OrderedCustomizer(threads);
    }

    /** Runs after Boot's customizers, which copy the application's pool sizes to this server. */
    private record OrderedCustomizer(int threads)
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                    protocol.setMaxThreads(threads);
                    protocol.setMinSpareThreads(Math.min(2, threads));
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
