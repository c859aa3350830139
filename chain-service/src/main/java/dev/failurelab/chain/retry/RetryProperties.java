package dev.failurelab.chain.retry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retry configuration of a hop ({@code chain.retry.*}); the policy can be switched at runtime.
 *
 * @param policy              policy in force at start-up
 * @param maxAttempts         attempts per call, the first included (naive, backoff, budget)
 * @param backoffBase         backoff: ceiling of the first wait
 * @param backoffCap          backoff: largest ceiling
 * @param budgetRatio         budget: share of requests that may be retried
 * @param budgetMinPerSecond  budget: reserve of retries per second regardless of traffic
 * @param budgetWindow        budget: window over which requests and retries count
 * @param budgetImplementation budget: {@code reference} ({@link RetryBudget}), or the class of an
 *                            exercise's {@link RetryThrottle}
 */
@ConfigurationProperties("chain.retry")
public record RetryProperties(
        @DefaultValue("none") RetryPolicy policy,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("2s") Duration backoffBase,
        @DefaultValue("8s") Duration backoffCap,
        @DefaultValue("0.1") double budgetRatio,
        @DefaultValue("0.5") double budgetMinPerSecond,
        @DefaultValue("5s") Duration budgetWindow,
        @DefaultValue(RetryThrottle.REFERENCE) String budgetImplementation) {

    public RetryProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("chain.retry.max-attempts must be at least 1");
        }
    }
}
