package dev.failurelab.chain.discovery;

/**
 * The project's health checks with hysteresis: an instance in service leaves after {@code fall}
 * failed checks in a row, and one out of service returns only after {@code rise} passed checks in a
 * row (HAProxy's {@code fall} and {@code rise}). With {@code rise} longer than an instance's up
 * phases, an instance that flaps stays out: one membership change, not one per flap.
 */
public final class RiseFallHealthPolicy implements HealthPolicy {

    @Override
    public boolean healthy(boolean wasHealthy, int successes, int failures, int fall, int rise) {
        return wasHealthy ? failures < fall : successes >= rise;
    }
}
