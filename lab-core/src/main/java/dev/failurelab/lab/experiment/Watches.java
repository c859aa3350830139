package dev.failurelab.lab.experiment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The thresholds a lab watches while it runs, from its defaults file: every
 * {@code watch.<figure>.above=<n>} or {@code watch.<figure>.below=<n>} key. Each is fed the figure
 * of that name and records {@link EventTimeline#THRESHOLD_CROSSED} and
 * {@link EventTimeline#THRESHOLD_CLEARED} on the timeline (the post-mortem's first signal).
 *
 * <p>Not thread-safe: feed it from the experiment's thread.
 */
public final class Watches {

    private final Map<String, EventTimeline.Threshold> thresholds = new LinkedHashMap<>();

    private Watches() {
    }

    /** Every {@code watch.*} key of {@code settings}, recording on {@code timeline}. */
    public static Watches from(LabDefaults settings, EventTimeline timeline) {
        Watches watches = new Watches();
        settings.withPrefix("watch.").forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            String direction = dot < 0 ? "" : key.substring(dot + 1);
            if (dot < 1 || !(direction.equals("above") || direction.equals("below"))) {
                throw new IllegalArgumentException("setting 'watch." + key + "' must be watch.<figure>.above or"
                        + " watch.<figure>.below");
            }
            String figure = key.substring(0, dot);
            double limit = settings.number("watch." + key);
            boolean above = direction.equals("above");
            String description = String.format(Locale.ROOT, "%s %s %s", figure.replace('_', ' '), direction,
                    format(limit));
            watches.thresholds.put(figure, timeline.threshold(figure, description,
                    above ? v -> v > limit : v -> v < limit));
        });
        return watches;
    }

    /** The figures watched, by name. */
    public java.util.Set<String> figures() {
        return thresholds.keySet();
    }

    /**
     * Feeds one second's figures (those not watched are ignored, NaN too) with the values to record
     * if a threshold changes state; {@code applies} leaves out figures that mean nothing in this run.
     */
    public void observe(Map<String, Double> figures, Map<String, Object> context, Predicate<String> applies) {
        thresholds.forEach((figure, threshold) -> {
            Double value = figures.get(figure);
            if (value != null && applies.test(figure)) {
                threshold.observe(value, context);
            }
        });
    }

    /** Feeds one figure. */
    public void observe(String figure, double value, Map<String, Object> context) {
        EventTimeline.Threshold threshold = thresholds.get(figure);
        if (threshold != null) {
            threshold.observe(value, context);
        }
    }

    /** Forgets every threshold's state (a new policy starts from a clean slate). */
    public void reset() {
        thresholds.values().forEach(EventTimeline.Threshold::reset);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
