package dev.failurelab.chain.cache;

import dev.failurelab.chain.LatencyTimers;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The stampede guard's {@link CacheListener} as Micrometer meters (names in {@link ChainMetricNames}). Thread-safe. */
public final class CacheMeters implements CacheListener {

    private final Map<StampedeGuard.Trigger, Timer> recomputeSucceeded = new EnumMap<>(StampedeGuard.Trigger.class);
    private final Map<StampedeGuard.Trigger, Timer> recomputeFailed = new EnumMap<>(StampedeGuard.Trigger.class);
    private final Counter lockAcquired;
    private final Counter lockBusy;
    private final Counter lockLost;
    private final Timer waitValue;
    private final Timer waitTimeout;
    private final Counter storeErrors;

    public CacheMeters(MeterRegistry registry) {
        for (StampedeGuard.Trigger trigger : StampedeGuard.Trigger.values()) {
            recomputeSucceeded.put(trigger, recomputeTimer(registry, trigger, "success"));
            recomputeFailed.put(trigger, recomputeTimer(registry, trigger, "error"));
        }
        lockAcquired = lockCounter(registry, "acquired");
        lockBusy = lockCounter(registry, "busy");
        lockLost = Counter.builder(ChainMetricNames.CACHE_LOCK_LOST)
                .description("Recomputes whose lock expired before they stored (their value was not written)")
                .register(registry);
        waitValue = waitTimer(registry, "value");
        waitTimeout = waitTimer(registry, "timeout");
        storeErrors = Counter.builder(ChainMetricNames.CACHE_REDIS_ERRORS)
                .description("Reads that found Redis unavailable and fell back to this JVM")
                .register(registry);
    }

    @Override
    public void recomputed(StampedeGuard.Trigger trigger, boolean succeeded, long nanos) {
        (succeeded ? recomputeSucceeded : recomputeFailed).get(trigger).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void lockAttempt(boolean acquired) {
        (acquired ? lockAcquired : lockBusy).increment();
    }

    @Override
    public void lockLost() {
        lockLost.increment();
    }

    @Override
    public void waited(boolean gotValue, long nanos) {
        (gotValue ? waitValue : waitTimeout).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void storeUnavailable() {
        storeErrors.increment();
    }

    private static Timer recomputeTimer(MeterRegistry registry, StampedeGuard.Trigger trigger, String outcome) {
        return LatencyTimers.builder(ChainMetricNames.CACHE_RECOMPUTES,
                        "Recomputes of a cached value from the origin, by trigger")
                .tag(ChainMetricNames.TRIGGER, trigger.tag())
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry);
    }

    private static Counter lockCounter(MeterRegistry registry, String result) {
        return Counter.builder(ChainMetricNames.CACHE_LOCK_ACQUISITIONS)
                .description("Attempts to take a key's recompute lock, by result")
                .tag(ChainMetricNames.RESULT, result)
                .register(registry);
    }

    private static Timer waitTimer(MeterRegistry registry, String outcome) {
        return LatencyTimers.builder(ChainMetricNames.CACHE_LOCK_WAIT,
                        "Time a caller waited for another's recompute, by outcome")
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry);
    }
}
