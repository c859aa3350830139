package dev.failurelab.chain.discovery;

import dev.failurelab.chain.defence.DefenceImplementation;

/**
 * Health checks with hysteresis, in a calling hop's choice of instance: after each check of an
 * instance, whether the hop calls it. The balancer keeps the counts and runs the checks; a policy
 * only answers, and must be thread-safe. The project's is {@link RiseFallHealthPolicy} (HAProxy's
 * {@code rise} and {@code fall}); exercise 11.8 has the participant write one.
 */
public interface HealthPolicy {

    /**
     * @param wasHealthy whether the hop called the instance before this check
     * @param successes  checks passed in a row, this one included (0 if this one failed)
     * @param failures   checks failed in a row, this one included (0 if this one passed)
     * @param fall       failed checks in a row that take an instance out ({@code chain.discovery.health-fall})
     * @param rise       passed checks in a row that bring it back ({@code chain.discovery.health-rise})
     * @return whether the hop calls the instance after this check
     */
    boolean healthy(boolean wasHealthy, int successes, int failures, int fall, int rise);

    /**
     * The policy {@code implementation} names: {@code reference} (the project's), or a class with a
     * public no-argument constructor (the exercise's).
     *
     * @throws IllegalArgumentException naming {@code chain.discovery.health-policy} and what is missing
     */
    static HealthPolicy of(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return new RiseFallHealthPolicy();
        }
        return DefenceImplementation.load("chain.discovery.health-policy", implementation, HealthPolicy.class, "()")
                .create();
    }
}
