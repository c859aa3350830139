package dev.failurelab.chain.cache;

import dev.failurelab.chain.defence.SwitchableDefence;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import java.util.LinkedHashMap;
import java.util.Map;

/** A replica's recompute strategy as a switchable defence ({@code /admin/cache-strategy}). Thread-safe. */
public final class CacheStrategyDefence implements SwitchableDefence {

    private final StampedeGuard guard;
    private final String lockImplementation;

    /** @param lockImplementation {@code chain.cache.lock.implementation}, shown in the view */
    public CacheStrategyDefence(StampedeGuard guard, String lockImplementation) {
        this.guard = guard;
        this.lockImplementation = lockImplementation;
    }

    @Override
    public Defence defence() {
        return Defences.CACHE_STRATEGY;
    }

    @Override
    public String current() {
        return guard.strategy().id();
    }

    @Override
    public void switchTo(String option) {
        guard.switchTo(RecomputeStrategy.of(option).orElseThrow());
    }

    @Override
    public Map<String, Object> settings() {
        StampedeGuard.Settings settings = guard.settings();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ttlMs", settings.ttl().toMillis());
        view.put("staleWindowMs", settings.staleWindow().toMillis());
        view.put("lockTtlMs", settings.lockTtl().toMillis());
        view.put("waitTimeoutMs", settings.waitTimeout().toMillis());
        view.put("beta", settings.beta());
        view.put("lockImplementation", lockImplementation);
        return view;
    }
}
