package dev.failurelab.lab.experiment;

import java.util.Map;

/**
 * The figures of one second of an experiment.
 *
 * @param second      seconds since the experiment started (1 = the first whole second)
 * @param phase       the phase this second belongs to
 * @param phaseSecond seconds since that phase started (1 = its first)
 * @param figures     the lab's figures for this second, by name
 */
public record SecondRecord(int second, String phase, int phaseSecond, Map<String, Double> figures) {

    public double figure(String name) {
        Double value = figures.get(name);
        return value == null ? Double.NaN : value;
    }
}
