package dev.failurelab.chain.dns;

import dev.failurelab.chain.settings.Setting;
import dev.failurelab.chain.settings.SettingsGroup;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A calling hop's DNS settings, live: the resolver's TTLs, timeout and serve-stale timers
 * ({@code chain.dns.*}) and its pooled connections' lifetime ({@code chain.client.connection-max-lifetime}).
 * Thread-safe.
 */
public final class DnsSettings implements SettingsGroup {

    static final String CACHE_TTL = "chain.dns.cache-ttl";
    static final String NEGATIVE_TTL = "chain.dns.negative-ttl";
    static final String TIMEOUT = "chain.dns.timeout";
    static final String STALE_TTL = "chain.dns.stale-ttl";
    static final String STALE_ANSWER_TIMER = "chain.dns.stale-answer-timer";
    static final String STALE_RECHECK = "chain.dns.stale-recheck";
    static final String MAX_LIFETIME = "chain.client.connection-max-lifetime";

    private final LabResolver resolver;
    private final PooledTransport transport;

    public DnsSettings(LabResolver resolver, PooledTransport transport) {
        this.resolver = resolver;
        this.transport = transport;
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.duration(CACHE_TTL, Duration.ZERO, Duration.ofDays(1)),
                Setting.duration(NEGATIVE_TTL, Duration.ZERO, Duration.ofDays(1)),
                Setting.duration(TIMEOUT, Duration.ofMillis(10), Duration.ofMinutes(1)),
                Setting.duration(STALE_TTL, Duration.ZERO, Duration.ofDays(7)),
                Setting.duration(STALE_ANSWER_TIMER, Duration.ZERO, Duration.ofMinutes(1)),
                Setting.duration(STALE_RECHECK, Duration.ZERO, Duration.ofHours(1)),
                Setting.duration(MAX_LIFETIME, Duration.ZERO, Duration.ofDays(1)));
    }

    @Override
    public Map<String, Object> current() {
        LabResolver.Settings s = resolver.settings();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(CACHE_TTL, s.cacheTtl());
        values.put(NEGATIVE_TTL, s.negativeTtl());
        values.put(TIMEOUT, s.timeout());
        values.put(STALE_TTL, s.staleTtl());
        values.put(STALE_ANSWER_TIMER, s.staleAnswerTimer());
        values.put(STALE_RECHECK, s.staleRecheck());
        values.put(MAX_LIFETIME, transport.maxLifetime());
        return values;
    }

    @Override
    public void apply(Map<String, Object> next) {
        resolver.settings(new LabResolver.Settings((Duration) next.get(CACHE_TTL), (Duration) next.get(NEGATIVE_TTL),
                (Duration) next.get(TIMEOUT), (Duration) next.get(STALE_TTL), (Duration) next.get(STALE_ANSWER_TIMER),
                (Duration) next.get(STALE_RECHECK)));
        transport.maxLifetime((Duration) next.get(MAX_LIFETIME));
    }
}
