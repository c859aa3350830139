package dev.failurelab.chain.retry;

import dev.failurelab.chain.defence.SwitchableDefence;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import java.util.LinkedHashMap;
import java.util.Map;

/** A calling hop's retry policy as a switchable defence ({@code /admin/retry-policy}). Thread-safe. */
public final class RetryPolicyDefence implements SwitchableDefence {

    private final RetryingCaller caller;

    public RetryPolicyDefence(RetryingCaller caller) {
        this.caller = caller;
    }

    @Override
    public Defence defence() {
        return Defences.RETRY_POLICY;
    }

    @Override
    public String current() {
        return caller.policy().id();
    }

    @Override
    public void switchTo(String option) {
        caller.switchTo(RetryPolicy.of(option).orElseThrow());
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("maxAttempts", caller.properties().maxAttempts());
        view.put("backoffBaseMs", caller.properties().backoffBase().toMillis());
        view.put("backoffCapMs", caller.properties().backoffCap().toMillis());
        view.put("budgetRatio", caller.properties().budgetRatio());
        view.put("budgetImplementation", caller.properties().budgetImplementation());
        view.put("budgetTokens", Math.floor(caller.budget().tokens() * 100) / 100);
        return view;
    }
}
