package dev.failurelab.chain.retry;

import dev.failurelab.chain.client.DownstreamClient;
import dev.failurelab.chain.settings.Setting;
import dev.failurelab.chain.settings.SettingsGroup;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A calling hop's live settings: the time one attempt may take ({@code chain.client.timeout}) and
 * the retry policies' attempts, backoff and budget ({@code chain.retry.*}). Thread-safe.
 */
public final class RetrySettings implements SettingsGroup {

    static final String TIMEOUT = "chain.client.timeout";
    static final String MAX_ATTEMPTS = "chain.retry.max-attempts";
    static final String BACKOFF_BASE = "chain.retry.backoff-base";
    static final String BACKOFF_CAP = "chain.retry.backoff-cap";
    static final String BUDGET_RATIO = "chain.retry.budget-ratio";
    static final String BUDGET_MIN = "chain.retry.budget-min-per-second";
    static final String BUDGET_WINDOW = "chain.retry.budget-window";

    private final DownstreamClient client;
    private final RetryingCaller caller;

    public RetrySettings(DownstreamClient client, RetryingCaller caller) {
        this.client = client;
        this.caller = caller;
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.duration(TIMEOUT, Duration.ofMillis(10), Duration.ofMinutes(5)),
                Setting.whole(MAX_ATTEMPTS, 1, RetryingCaller.MAX_ATTEMPTS_LIMIT),
                Setting.duration(BACKOFF_BASE, Duration.ofMillis(1), Duration.ofMinutes(1)),
                Setting.duration(BACKOFF_CAP, Duration.ofMillis(1), Duration.ofMinutes(5)),
                Setting.decimal(BUDGET_RATIO, 0, 1),
                Setting.decimal(BUDGET_MIN, 0, 10_000),
                Setting.duration(BUDGET_WINDOW, Duration.ofMillis(100), Duration.ofMinutes(10)));
    }

    @Override
    public Map<String, Object> current() {
        RetryProperties p = caller.properties();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(TIMEOUT, client.timeout());
        values.put(MAX_ATTEMPTS, p.maxAttempts());
        values.put(BACKOFF_BASE, p.backoffBase());
        values.put(BACKOFF_CAP, p.backoffCap());
        values.put(BUDGET_RATIO, p.budgetRatio());
        values.put(BUDGET_MIN, p.budgetMinPerSecond());
        values.put(BUDGET_WINDOW, p.budgetWindow());
        return values;
    }

    @Override
    public void check(Map<String, Object> next) {
        if (((Duration) next.get(BACKOFF_BASE)).compareTo((Duration) next.get(BACKOFF_CAP)) > 0) {
            throw new Setting.BadSetting(BACKOFF_BASE, BACKOFF_BASE + " (" + Setting.show(next.get(BACKOFF_BASE))
                    + ") must not be above " + BACKOFF_CAP + " (" + Setting.show(next.get(BACKOFF_CAP)) + ")");
        }
    }

    @Override
    public void apply(Map<String, Object> next) {
        client.timeout((Duration) next.get(TIMEOUT));
        caller.reconfigure(new RetryProperties(caller.properties().policy(), (Integer) next.get(MAX_ATTEMPTS),
                (Duration) next.get(BACKOFF_BASE), (Duration) next.get(BACKOFF_CAP), (Double) next.get(BUDGET_RATIO),
                (Double) next.get(BUDGET_MIN), (Duration) next.get(BUDGET_WINDOW),
                caller.properties().budgetImplementation()));
    }
}
