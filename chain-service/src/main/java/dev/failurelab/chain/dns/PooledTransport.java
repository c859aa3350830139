package dev.failurelab.chain.dns;

import dev.failurelab.chain.client.DownstreamClient;
import dev.failurelab.chain.client.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The DNS lab's outbound transport: Apache HttpClient 5's connection pool, which resolves a name
 * through the hop's {@link LabResolver} only when it opens a connection, and closes a connection
 * once it has lived its maximum lifetime (live). A pooled keep-alive connection hides DNS
 * entirely: only new connections see an outage, which is why the lifetime matters.
 *
 * <p>Concurrency: thread-safe (the pool is); a lifetime change applies at a connection's next lease.
 */
public final class PooledTransport implements Transport {

    /** Connections to the next hop at most (more than any hop's threads: the pool never queues). */
    static final int MAX_CONNECTIONS = 1024;

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    private final Duration connectTimeout;
    private volatile Duration maxLifetime;

    /**
     * @param maxLifetime a connection's longest life (zero: no limit)
     */
    public PooledTransport(LabResolver resolver, Duration connectTimeout, Duration maxLifetime) {
        this.connectTimeout = connectTimeout;
        this.maxLifetime = maxLifetime;
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new DnsResolver() {
                    @Override
                    public InetAddress[] resolve(String host) throws UnknownHostException {
                        return resolver.resolve(host);
                    }

                    @Override
                    public String resolveCanonicalHostname(String host) {
                        return host;
                    }
                })
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(connectionConfig())
                .build();
        this.client = HttpClients.custom().setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .build();
    }

    private ConnectionConfig connectionConfig() {
        Duration lifetime = maxLifetime;
        return ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setTimeToLive(lifetime.isZero() ? TimeValue.NEG_ONE_MILLISECOND : TimeValue.of(lifetime))
                .build();
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** Changes the longest life of a connection (zero: no limit), from each connection's next lease. */
    public void maxLifetime(Duration lifetime) {
        this.maxLifetime = lifetime;
        pool.setDefaultConnectionConfig(connectionConfig());
    }

    /** The pool's connections now: in use, and idle. */
    public PoolStats stats() {
        return pool.getTotalStats();
    }

    @Override
    public Response get(URI uri, Duration timeout, Map<String, String> headers) throws IOException {
        HttpGet request = new HttpGet(uri);
        headers.forEach(request::setHeader);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build());
        return client.execute(request, response -> new Response(response.getCode(),
                response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity()),
                response.containsHeader(DownstreamClient.DO_NOT_RETRY_HEADER)));
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }
}
