package dev.failurelab.lab.experiment;

import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.metrics.MetricSnapshot;
import java.util.Map;

/**
 * A lab's per-second figures, from two consecutive scrapes of each service (one second apart) and
 * the load generator's view of that second. Counters become rates by difference.
 */
@FunctionalInterface
public interface FigureCalculator {

    /**
     * @param previous scrapes a second ago, by target name
     * @param current  scrapes now, by target name
     * @param load     what the load generator saw in this second
     * @return the figures, by name; insertion order is the display order
     */
    Map<String, Double> figures(Map<String, MetricSnapshot> previous, Map<String, MetricSnapshot> current,
            LoadTimeline.SecondSample load);
}
