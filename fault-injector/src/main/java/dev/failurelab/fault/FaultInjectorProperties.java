package dev.failurelab.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * @param dns               the lab's DNS servers (off unless {@code dns.port} is set)
 */
@ConfigurationProperties("fault-injector")
public record FaultInjectorProperties(
        @DefaultValue("127.0.0.1") String listenAddress,
        @DefaultValue("60s") Duration defaultTtl,
        @DefaultValue("30m") Duration maxTtl,
        @DefaultValue("60s") Duration maxHold,
        @DefaultValue("30s") Duration upstreamTimeout,
        List<String> allowedUpstreams,
        List<ProxyDefinition> proxies,
        @DefaultValue Dns dns) {

    public FaultInjectorProperties {
        allowedUpstreams = allowedUpstreams == null ? List.of() : List.copyOf(allowedUpstreams);
        proxies = proxies == null ? List.of() : List.copyOf(proxies);
        if (defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("fault-injector.default-ttl must not exceed fault-injector.max-ttl");
        }
    }

    /**
     * The lab's DNS: an authoritative server of one zone on UDP and TCP, and a fallback server of
     * the same zone (a second provider: faults go to one, the other, or both).
     *
     * @param port         the primary server's port (none: no DNS server)
     * @param fallbackPort the fallback server's port (none: no fallback)
     * @param zone         the zone, e.g. {@code failure-lab.test}
     * @param ttl          every record's TTL
     * @param records      short name to IPv4 address or host name (resolved once, at start)
     */
    public record Dns(Integer port, Integer fallbackPort, @DefaultValue("failure-lab.test") String zone,
            @DefaultValue("5s") Duration ttl, Map<String, String> records) {

        public Dns {
            records = records == null ? Map.of() : Map.copyOf(records);
            checkPort(port, "fault-injector.dns.port");
            checkPort(fallbackPort, "fault-injector.dns.fallback-port");
            if (port == null && fallbackPort != null) {
                throw new IllegalArgumentException("fault-injector.dns.fallback-port needs fault-injector.dns.port");
            }
        }

        private static void checkPort(Integer port, String property) {
            if (port != null && (port < 0 || port > 65535)) {
                throw new IllegalArgumentException(property + " must be a port, 0..65535 (0: any free port)");
            }
        }

        public boolean enabled() {
            return port != null;
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
