package dev.failurelab.fault;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the fault injector ({@code fault-injector.*}). The control API's own address
 * and port are Spring's {@code server.address} and {@code server.port}.
 *
 * @param listenAddress     address the proxies bind to (loopback unless configured otherwise)
 * @param defaultTtl        a fault's lifetime when the request gives none
 * @param maxTtl            the longest lifetime a fault may be given
 * @param maxHold           the longest a blackhole holds a request
 * @param upstreamTimeout   the proxy's own bound on an upstream round trip
 * @param allowedUpstreams  {@code host:port} (or {@code host:*}) entries a proxy may forward to
 * @param proxies           proxies created at start-up
 */
@ConfigurationProperties("fault-injector")
public record FaultInjectorProperties(
        @DefaultValue("127.0.0.1") String listenAddress,
        @DefaultValue("60s") Duration defaultTtl,
        @DefaultValue("30m") Duration maxTtl,
        @DefaultValue("60s") Duration maxHold,
        @DefaultValue("30s") Duration upstreamTimeout,
        List<String> allowedUpstreams,
        List<ProxyDefinition> proxies) {

    public FaultInjectorProperties {
        allowedUpstreams = allowedUpstreams == null ? List.of() : List.copyOf(allowedUpstreams);
        proxies = proxies == null ? List.of() : List.copyOf(proxies);
        if (defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("fault-injector.default-ttl must not exceed fault-injector.max-ttl");
        }
    }

    /**
     * A proxy: listens on {@code listen} and forwards to {@code upstream}.
     *
     * @param name     its name in the control API and meter tags
     * @param listen   port to listen on (0: any free port)
     * @param upstream {@code http://host:port}, which must be on the allowlist
     */
    public record ProxyDefinition(String name, int listen, String upstream) {
    }
}
