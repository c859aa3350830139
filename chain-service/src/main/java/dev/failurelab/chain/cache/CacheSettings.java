package dev.failurelab.chain.cache;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.failurelab.chain.settings.Setting;
import dev.failurelab.chain.settings.SettingsGroup;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hot key's live settings: its TTLs and waits ({@code chain.cache.ttl}, {@code stale-window},
 * {@code beta}, {@code lock.*}), the origin's cost ({@code origin.hold}) and its connection pool
 * size ({@code postgres.pool-size}, through Hikari's own live configuration; Hikari reads its
 * connection timeout once, so that one is not live). Thread-safe.
 */
public final class CacheSettings implements SettingsGroup {

    static final String TTL = "chain.cache.ttl";
    static final String STALE_WINDOW = "chain.cache.stale-window";
    static final String BETA = "chain.cache.beta";
    static final String LOCK_TTL = "chain.cache.lock.ttl";
    static final String WAIT_TIMEOUT = "chain.cache.lock.wait-timeout";
    static final String HOLD = "chain.cache.origin.hold";
    static final String POOL_SIZE = "chain.cache.postgres.pool-size";

    private final StampedeGuard guard;
    private final TopProductsOrigin origin;
    private final HikariDataSource pool;
    private final Duration statementTimeout;

    public CacheSettings(StampedeGuard guard, TopProductsOrigin origin, HikariDataSource pool,
            Duration statementTimeout) {
        this.guard = guard;
        this.origin = origin;
        this.pool = pool;
        this.statementTimeout = statementTimeout;
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.duration(TTL, Duration.ofMillis(100), Duration.ofDays(1)),
                Setting.duration(STALE_WINDOW, Duration.ZERO, Duration.ofDays(1)),
                Setting.decimal(BETA, 0.01, 100),
                Setting.duration(LOCK_TTL, Duration.ofMillis(100), Duration.ofMinutes(10)),
                Setting.duration(WAIT_TIMEOUT, Duration.ofMillis(1), Duration.ofMinutes(10)),
                Setting.duration(HOLD, Duration.ZERO, Duration.ofMinutes(1)),
                Setting.whole(POOL_SIZE, 1, 200));
    }

    @Override
    public Map<String, Object> current() {
        StampedeGuard.Settings s = guard.settings();
        HikariConfigMXBean config = pool.getHikariConfigMXBean();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(TTL, s.ttl());
        values.put(STALE_WINDOW, s.staleWindow());
        values.put(BETA, s.beta());
        values.put(LOCK_TTL, s.lockTtl());
        values.put(WAIT_TIMEOUT, s.waitTimeout());
        values.put(HOLD, origin.hold());
        values.put(POOL_SIZE, config.getMaximumPoolSize());
        return values;
    }

    @Override
    public void check(Map<String, Object> next) {
        if (((Duration) next.get(HOLD)).compareTo(statementTimeout) >= 0) {
            throw new Setting.BadSetting(HOLD, HOLD + " (" + Setting.show(next.get(HOLD)) + ") must be shorter than"
                    + " chain.cache.postgres.statement-timeout (" + Setting.show(statementTimeout) + ")");
        }
    }

    @Override
    public void apply(Map<String, Object> next) {
        guard.reconfigure(StampedeGuard.Settings.renewingFor((Duration) next.get(TTL),
                (Duration) next.get(STALE_WINDOW), (Duration) next.get(LOCK_TTL), (Duration) next.get(WAIT_TIMEOUT),
                (Double) next.get(BETA), statementTimeout));
        origin.hold((Duration) next.get(HOLD));
        HikariConfigMXBean config = pool.getHikariConfigMXBean();
        int size = (Integer) next.get(POOL_SIZE);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
    }
}
