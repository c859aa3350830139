package dev.failurelab.lab.cascade;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;
import java.util.Locale;

/**
 * One cell of the phase map: a trigger (a cut of {@code magnitude} of the bottom's capacity for
 * {@code triggerSeconds}) under one row's defences, and what followed it.
 *
 * @param row                 the row: {@code naive}, one defence alone, or {@code all}
 * @param magnitude           the share of capacity cut, 0..1
 * @param triggerSeconds      how long the cut lasted
 * @param outcome             {@code recovered}, {@code metastable} or {@code slow} (neither)
 * @param recoverySeconds     seconds after the trigger's end until goodput held at the recovery
 *                            share of baseline (null if it did not within the observation)
 * @param baselineGoodput     full answers per second before the trigger
 * @param triggerAmplification bottom arrivals per edge request during the trigger
 * @param triggerAnswered     the share of edge requests answered (full or degraded) within the
 *                            deadline during the trigger
 * @param breakerOpenSeconds  seconds from the trigger's start to a breaker open (NaN if none opened)
 * @param observedSeconds     seconds observed after the trigger
 * @param seconds             every second's figures
 */
public record CellResult(String row, double magnitude, int triggerSeconds, String outcome, Integer recoverySeconds,
        double baselineGoodput, double triggerAmplification, double triggerAnswered, double breakerOpenSeconds,
        int observedSeconds, List<SecondRecord> seconds) {

    public static final String RECOVERED = "recovered";
    public static final String METASTABLE = "metastable";
    public static final String SLOW = "slow";

    /** The cell's name, e.g. {@code 80%x6s}. */
    public String cell() {
        return String.format(Locale.ROOT, "%.0f%%x%ds", magnitude * 100, triggerSeconds);
    }

    /** What the map shows in the cell. */
    public String label() {
        return switch (outcome) {
            case RECOVERED -> "recovered in " + recoverySeconds + " s";
            case METASTABLE -> "METASTABLE (" + observedSeconds + " s down)";
            default -> recoverySeconds == null ? "slow: not back in " + observedSeconds + " s"
                    : "slow: back in " + recoverySeconds + " s";
        };
    }
}
