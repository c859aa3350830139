package dev.failurelab.lab.experiment;

import java.time.Duration;

/**
 * One step of an experiment, e.g. baseline → brownout → heal → observe.
 *
 * @param name     shown in progress lines and reports
 * @param duration how long it lasts
 * @param onStart  what happens as it starts (inject a fault, clear it, switch a policy)
 */
public record Phase(String name, Duration duration, Runnable onStart) {

    public Phase {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration of phase " + name + " must be positive");
        }
    }

    public static Phase of(String name, Duration duration) {
        return new Phase(name, duration, () -> {
        });
    }
}
