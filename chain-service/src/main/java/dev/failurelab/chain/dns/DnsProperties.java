package dev.failurelab.chain.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A calling hop's own name resolution ({@code chain.dns.*}), the DNS lab's: set {@code server} and
 * the hop resolves its next hop's name through the lab's DNS servers, on a connection pool
 * ({@link PooledTransport}); unset, it uses the JDK's client and the system's resolver, as every
 * other lab. The durations are live ({@link DnsSettings}); the modes are switchable defences.
 *
 * @param server           the primary DNS server, {@code host:port}
 * @param fallbackServer   the fallback DNS server, {@code host:port} (none: no fallback)
 * @param cacheTtl         how long an answer is kept; 0s: the record's own TTL
 * @param negativeTtl      how long a failed lookup is remembered (the JDK's default: 10 s)
 * @param timeout          the resolver timeout, per server (resolv.conf's default: 5 s)
 * @param staleTtl         serve-stale: how long past its expiry an answer may still be served
 * @param staleAnswerTimer serve-stale on: the client response timer (RFC 8767: 1.8 s)
 * @param staleRecheck     serve-stale: after a failed refresh, the wait before asking again (RFC 8767: 30 s)
 * @param serveStale       off, on or refresh ({@code /admin/serve-stale})
 * @param fallback         off or on ({@code /admin/dns-fallback})
 * @param stalePolicy      serve-stale's decision under the background refresh: {@code reference}
 *                         (the project's {@link RefreshingStalePolicy}), or the class of yours from
 *                         exercise 11.7; read at start
 */
@ConfigurationProperties("chain.dns")
public record DnsProperties(
        String server,
        String fallbackServer,
        @DefaultValue("0s") Duration cacheTtl,
        @DefaultValue("10s") Duration negativeTtl,
        @DefaultValue("5s") Duration timeout,
        @DefaultValue("1d") Duration staleTtl,
        @DefaultValue("1800ms") Duration staleAnswerTimer,
        @DefaultValue("30s") Duration staleRecheck,
        @DefaultValue("off") String serveStale,
        @DefaultValue("off") String fallback,
        @DefaultValue("reference") String stalePolicy) {

    /** The settings the resolver starts with. */
    LabResolver.Settings settings() {
        return new LabResolver.Settings(cacheTtl, negativeTtl, timeout, staleTtl, staleAnswerTimer, staleRecheck);
    }

    /** {@code host:port} as a socket address (resolved by the system: the DNS server's own name is not the lab's). */
    static InetSocketAddress address(String hostPort, String property) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(property + " must be host:port, e.g. 127.0.0.1:8053, not '" + hostPort
                    + "'");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must end with a port, 1..65535, not '" + hostPort + "'");
        }
    }
}
