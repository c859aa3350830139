package dev.failurelab.exercise.discovery;

import dev.failurelab.chain.discovery.HealthPolicy;

/**
 * Exercise 11.8: your health checks with hysteresis, in the middle's choice of instance. It
 * compiles, and it does not defend: each check decides alone, so an instance whose health flaps
 * is taken out and put back at every flap. Decide, then run {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with what they measured and a hint): an
 * instance in service leaves only after {@code fall} failed checks in a row; an instance out of
 * service comes back only after {@code rise} passed checks in a row; otherwise it stays as it was.
 * The balancer keeps the counts and runs the checks; you only decide.
 *
 * <p>Where to look: HAProxy's {@code rise} and {@code fall} (the "check" server options).
 */
public final class MyHealthPolicy implements HealthPolicy {

    @Override
    public boolean healthy(boolean wasHealthy, int successes, int failures, int fall, int rise) {
        // TODO: in service, leave after fall failures in a row; out of service, return after rise successes in a row.
        return successes > 0;
    }
}
