package dev.failurelab.lab.experiment;

import java.time.Duration;

/**
 * One step of an experiment, e.g. baseline → brownout → heal → observe.
 *
 * @param name     shown in progress lines and reports
 * @param duration how long it lasts
 * @param onStart  what happens as it starts (inject a fault, clear it, switch a policy)
 * @param rate     the load's rate through this phase (requests per second), or NaN for the run's own
 */
public record Phase(String name, Duration duration, Runnable onStart, double rate) {

    public Phase {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration of phase " + name + " must be positive");
        }
        if (!Double.isNaN(rate) && !(rate > 0)) {
            throw new IllegalArgumentException("rate of phase " + name + " must be positive");
        }
    }

    /** A phase at the run's own rate. */
    public Phase(String name, Duration duration, Runnable onStart) {
        this(name, duration, onStart, Double.NaN);
    }


    public static Phase of(String name, Duration duration) {
        return new Phase(name, duration, () -> {
        });
    }
}
