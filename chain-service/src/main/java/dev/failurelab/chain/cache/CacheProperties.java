package dev.failurelab.chain.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hot key's cache ({@code chain.cache.*}), on the service that owns it. Off unless
 * {@code chain.cache.enabled}; then Redis and PostgreSQL are required (compose and the embedded
 * topology set them, from {@code LAB_REDIS_URL} and {@code LAB_POSTGRES_URL} or embedded servers).
 *
 * @param enabled     serve {@code GET /api/top-products} from the cache
 * @param key         the hot key's name (stored in Redis as {@code failurelab:cache:<key>})
 * @param strategy    recompute strategy at start: none, lock, xfetch, swr, lock+swr
 * @param ttl         how long a value is fresh
 * @param staleWindow how long Redis keeps a value after it expires, for stale-while-revalidate
 * @param beta        XFetch's β
 * @param lock        the per-key lock
 * @param redis       where the cache is
 * @param postgres    where the origin is
 * @param origin      the origin query's size
 */
@ConfigurationProperties("chain.cache")
public record CacheProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("top-products") String key,
        @DefaultValue("none") String strategy,
        @DefaultValue("30s") Duration ttl,
        @DefaultValue("5m") Duration staleWindow,
        @DefaultValue("1.0") double beta,
        @DefaultValue Lock lock,
        @DefaultValue Redis redis,
        @DefaultValue Postgres postgres,
        @DefaultValue Origin origin) {

    public CacheProperties {
        if (RecomputeStrategy.of(strategy).isEmpty()) {
            throw new IllegalArgumentException("chain.cache.strategy must be one of " + RecomputeStrategy.ids()
                    + ", not '" + strategy + "'");
        }
        if (key == null || key.isBlank() || key.contains(" ")) {
            throw new IllegalArgumentException("chain.cache.key must be a non-blank word");
        }
        if (enabled && (redis.url() == null || redis.url().isBlank())) {
            throw new IllegalArgumentException("chain.cache.redis.url (or LAB_REDIS_URL) is required when the cache is enabled");
        }
        if (origin.hold().compareTo(postgres.statementTimeout()) >= 0) {
            throw new IllegalArgumentException("chain.cache.origin.hold (" + origin.hold() + ") must be shorter than"
                    + " chain.cache.postgres.statement-timeout (" + postgres.statementTimeout() + ")");
        }
        if (enabled && (postgres.url() == null || postgres.url().isBlank())) {
            throw new IllegalArgumentException("chain.cache.postgres.url (or LAB_POSTGRES_URL) is required when the cache is enabled");
        }
    }

    public RecomputeStrategy initialStrategy() {
        return RecomputeStrategy.of(strategy).orElseThrow();
    }

    public String redisKey() {
        return "failurelab:cache:" + key;
    }

    public StampedeGuard.Settings guardSettings() {
        return StampedeGuard.Settings.renewingFor(ttl, staleWindow, lock.ttl(), lock.waitTimeout(), beta,
                postgres.statementTimeout());
    }

    /**
     * @param ttl         a holder's lock expires after this (a dead holder blocks no longer)
     * @param waitTimeout    a waiter gives up (503 cache_wait_timeout) after this
     * @param implementation the lock: {@code reference} ({@link RedisLock}), or the class of a
     *                       {@link RecomputeLock} written in the stampede exercise
     */
    public record Lock(@DefaultValue("5s") Duration ttl, @DefaultValue("10s") Duration waitTimeout,
            @DefaultValue(RecomputeLock.REFERENCE) String implementation) {
    }

    /**
     * @param url     {@code redis://host:port}
     * @param timeout per command; past it the read falls back as if Redis were down
     */
    public record Redis(String url, @DefaultValue("3s") Duration timeout) {
    }

    /**
     * @param url               JDBC URL
     * @param user              user name
     * @param password          password
     * @param poolSize          connections in the pool (Hikari's maximum pool size)
     * @param connectionTimeout longest wait for a pooled connection
     * @param statementTimeout  longest a query may run (PostgreSQL's statement_timeout)
     */
    public record Postgres(String url, @DefaultValue("postgres") String user, @DefaultValue("postgres") String password,
            @DefaultValue("10") int poolSize, @DefaultValue("5s") Duration connectionTimeout,
            @DefaultValue("30s") Duration statementTimeout) {
    }

    /**
     * @param seedRows        orders inserted at start if the table has fewer
     * @param scanRows        orders the query aggregates (its cost)
     * @param parallelWorkers PostgreSQL workers one query may use besides its own process
     *                        ({@code max_parallel_workers_per_gather}); -1 leaves the server's setting
     * @param hold            how long a query keeps its connection before the aggregate (a busy server)
     */
    public record Origin(@DefaultValue("200000") long seedRows, @DefaultValue("50000") long scanRows,
            @DefaultValue("0") int parallelWorkers, @DefaultValue("1s") Duration hold) {
    }
}
