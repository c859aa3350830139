package dev.failurelab.chain.retry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a hop retries a failed call to the next hop; switchable at runtime. */
public enum RetryPolicy {
    /** One attempt. */
    NONE,
    /** Up to {@code max-attempts}, immediately, on 5xx, timeout or connection error. */
    NAIVE,
    /** Same attempts, with exponential backoff and full jitter between them. */
    BACKOFF,
    /**
     * Backoff, plus a {@link RetryBudget}; and retries stay in one layer: a hop that retried, or
     * was refused a retry, answers "overloaded — don't retry", which the hop above honours.
     */
    BUDGET;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RetryPolicy> of(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(RetryPolicy::id).collect(Collectors.joining(", "));
    }
}
