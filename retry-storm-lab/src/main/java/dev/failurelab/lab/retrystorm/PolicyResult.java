package dev.failurelab.lab.retrystorm;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;

/**
 * What one retry policy did through the brownout.
 *
 * @param policy                 naive, backoff or budget
 * @param baselineSuccess        edge success ratio before the fault
 * @param brownoutAmplification  bottom arrivals per edge request during the brownout
 * @param peakAmplification      the highest one-second amplification during the brownout
 * @param brownoutBottomRate     bottom arrivals per second during the brownout (its load)
 * @param brownoutSuccess        edge success ratio during the brownout
 * @param recoverySeconds        seconds from the end of the brownout to a stable recovery; null
 *                               if it did not recover within the observed time
 * @param observedSeconds        how long recovery was watched
 * @param seconds                every second's figures
 */
public record PolicyResult(String policy, double baselineSuccess, double brownoutAmplification,
        double peakAmplification, double brownoutBottomRate, double brownoutSuccess, Integer recoverySeconds,
        int observedSeconds, List<SecondRecord> seconds) {

    /** Recovery time, with "not recovered" counted as the whole observed time (a lower bound). */
    public double recoveryLowerBound() {
        return recoverySeconds == null ? observedSeconds : recoverySeconds;
    }

    public String recoveryText() {
        return recoverySeconds == null ? "not within " + observedSeconds + " s" : recoverySeconds + " s";
    }
}
