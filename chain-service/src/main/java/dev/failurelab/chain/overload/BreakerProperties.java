package dev.failurelab.chain.overload;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The circuit breaker on a calling hop's attempts ({@code chain.breaker.*}; Resilience4j's
 * settings of the same names), read at start.
 *
 * @param mode                 {@code off} or {@code on} at start (switched live at {@code /admin/circuit-breaker})
 * @param failureRateThreshold the share of failed attempts (percent) that opens it
 * @param window               the time-based window the failure rate is measured over
 * @param minimumCalls         attempts in the window before the rate counts
 * @param openWait             how long it stays open before letting trial calls through
 * @param halfOpenCalls        the trial calls of the half-open state
 */
@ConfigurationProperties("chain.breaker")
public record BreakerProperties(
        @DefaultValue("off") String mode,
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("1s") Duration window,
        @DefaultValue("10") int minimumCalls,
        @DefaultValue("1s") Duration openWait,
        @DefaultValue("5") int halfOpenCalls) {

    public BreakerProperties {
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
            throw new IllegalArgumentException("chain.breaker.failure-rate-threshold must be in (0, 100]");
        }
        if (window.toSeconds() < 1) {
            throw new IllegalArgumentException("chain.breaker.window must be at least 1s");
        }
        if (minimumCalls < 1 || halfOpenCalls < 1) {
            throw new IllegalArgumentException("chain.breaker.minimum-calls and half-open-calls must be at least 1");
        }
        if (openWait.isNegative() || openWait.isZero()) {
            throw new IllegalArgumentException("chain.breaker.open-wait must be positive");
        }
    }
}
