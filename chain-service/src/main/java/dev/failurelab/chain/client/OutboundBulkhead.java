package dev.failurelab.chain.client;

import dev.failurelab.chain.settings.Setting;
import dev.failurelab.chain.settings.SettingsGroup;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A calling hop's outbound bulkhead (Resilience4j {@link Bulkhead}, semaphore): at most
 * {@code chain.bulkhead.max-concurrent-calls} calls to the next hop in progress at once, each call
 * counted with its retries and its waits between them; a call past that waits up to
 * {@code chain.bulkhead.max-wait} for room, then is refused (503, {@code bulkhead_full}).
 *
 * <p>It is the explicit form of what a hop's thread pool used to do by accident, and it is why
 * backoff lowers the next hop's load: a call that waits before its retry holds its place, so
 * fewer new calls start. Both settings change live ({@code /admin/settings}); the meters are
 * Resilience4j's {@code resilience4j_bulkhead_*}. Thread-safe.
 */
public final class OutboundBulkhead implements SettingsGroup {

    static final String MAX_CALLS = "chain.bulkhead.max-concurrent-calls";
    static final String MAX_WAIT = "chain.bulkhead.max-wait";

    private final Bulkhead bulkhead;

    public OutboundBulkhead(int maxConcurrentCalls, Duration maxWait, MeterRegistry registry) {
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        this.bulkhead = bulkheads.bulkhead("downstream", config(maxConcurrentCalls, maxWait));
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
    }

    private static BulkheadConfig config(int maxConcurrentCalls, Duration maxWait) {
        return BulkheadConfig.custom().maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWait)
                .fairCallHandlingStrategyEnabled(true).build();
    }

    /**
     * Takes a place, waiting up to the configured wait.
     *
     * @return whether the call may go ahead; if so, call {@link #release()} exactly once when it ends
     */
    public boolean tryEnter() {
        return bulkhead.tryAcquirePermission();
    }

    /** Gives a place back. */
    public void release() {
        bulkhead.onComplete();
    }

    @Override
    public List<Setting> settings() {
        return List.of(Setting.whole(MAX_CALLS, 1, 10_000), Setting.duration(MAX_WAIT, Duration.ZERO, Duration.ofMinutes(1)));
    }

    @Override
    public Map<String, Object> current() {
        BulkheadConfig config = bulkhead.getBulkheadConfig();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(MAX_CALLS, config.getMaxConcurrentCalls());
        values.put(MAX_WAIT, config.getMaxWaitDuration());
        return values;
    }

    @Override
    public void apply(Map<String, Object> next) {
        bulkhead.changeConfig(config((Integer) next.get(MAX_CALLS), (Duration) next.get(MAX_WAIT)));
    }
}
